import { apiErrorCodes } from '../../../shared/api/errors.js';
import type { ScheduleRun, ScheduleView } from '../../../shared/api/schemas/schedules.js';
import type { ScheduleTaskTemplate } from '../../../shared/schedule.js';
import { prepareTask } from '../../engine/taskSpec.js';
import { CronSchedule, isoInTimeZone } from '../../schedules/CronSchedule.js';
import { ScheduleInputError } from '../../schedules/ScheduleInputError.js';
import type { ScheduleFields, StoredSchedule } from '../../schedules/ScheduleStore.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import type { EndpointHandlers } from '../EndpointHandler.js';

/** How many run times a schedule's view shows. */
const viewedRuns = 5;

/** Parses the pattern in the zone; a fault is a 400 naming `body.cron` or `body.timeZone`. */
function parseCron(cron: string, timeZone: string): CronSchedule {
  try {
    return CronSchedule.parse(cron, timeZone);
  } catch (error) {
    if (error instanceof ScheduleInputError) throw new ApiProblem(400, apiErrorCodes.invalidRequest, `body.${error.field}: ${error.message}`, `body.${error.field}`);
    throw error;
  }
}

/** A pattern with no future time would never tick: refused rather than stored idle. */
function nextTick(schedule: CronSchedule, now: number): number {
  const next = schedule.nextAfter(now);
  if (next === null) throw new ApiProblem(400, apiErrorCodes.invalidRequest, `body.cron: ${JSON.stringify(schedule.pattern)} has no run time after now`, 'body.cron');
  return next;
}

/**
 * Checks the template the way the engine will at every tick, against the queue's definition (its
 * payload limit included): a fault names `body.task.<field>` (400, or 413 for a payload too large).
 * An unknown queue is 404 naming `body.queue`, as for every other unknown queue.
 */
async function checkTaskFor(services: ApiServices, queue: string, task: ScheduleTaskTemplate): Promise<void> {
  const definition = await services.engine.getQueue(queue);
  if (!definition) throw new ApiProblem(404, apiErrorCodes.notFound, `no queue ${queue}`, 'body.queue');
  prepareTask(definition, task, 'task');
}

function runsOf(schedule: CronSchedule, count: number, from: number): ScheduleRun[] {
  return schedule.nextRuns(count, from).map((at) => ({ at, iso: isoInTimeZone(at, schedule.timeZone) }));
}

export function toScheduleView(schedule: StoredSchedule, now: number): ScheduleView {
  const { revision: _revision, ...fields } = schedule;
  let nextRuns: ScheduleRun[] = [];
  if (schedule.enabled) {
    try {
      nextRuns = runsOf(CronSchedule.parse(schedule.cron, schedule.timeZone), viewedRuns, now);
    } catch {
      // A stored pattern that no longer parses is parked by the scheduler: it has no runs.
    }
  }
  return { ...fields, nextRuns };
}

/** What the audit log keeps of a schedule: everything but the task's payload. */
function auditSummary(schedule: StoredSchedule) {
  const { payload: _payload, ...task } = schedule.task;
  return {
    name: schedule.name,
    queue: schedule.queue,
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    task,
    missedTickPolicy: schedule.missedTickPolicy,
    enabled: schedule.enabled,
  };
}

async function existing(services: ApiServices, id: string): Promise<StoredSchedule> {
  const schedule = await services.schedules.get(id);
  if (!schedule) throw new ApiProblem(404, apiErrorCodes.notFound, `no schedule ${id}`, 'params.id');
  return schedule;
}

function nameTaken(name: string): ApiProblem {
  return new ApiProblem(409, apiErrorCodes.conflict, `schedule ${name} already exists`, 'body.name');
}

export const scheduleHandlers: EndpointHandlers<'schedules.list' | 'schedules.get' | 'schedules.create' | 'schedules.update' | 'schedules.delete' | 'schedules.preview'> = {
  'schedules.list': async (_call, services) => {
    const now = Date.now();
    return { schedules: (await services.schedules.list()).map((schedule) => toScheduleView(schedule, now)) };
  },

  'schedules.get': async ({ params }, services) => toScheduleView(await existing(services, params.id), Date.now()),

  'schedules.create': async (call, services) => {
    const { body } = call;
    const now = Date.now();
    const cron = parseCron(body.cron, body.timeZone);
    const next = nextTick(cron, now);
    await checkTaskFor(services, body.queue, body.task);
    const created = await services.schedules.create({ ...body, timeZone: cron.timeZone, nextTickAt: body.enabled ? next : null });
    if (!created) throw nameTaken(body.name);
    call.audit.target = `schedule:${created.name}`;
    call.audit.after = auditSummary(created);
    return toScheduleView(created, now);
  },

  'schedules.update': async (call, services) => {
    const { body } = call;
    const now = Date.now();
    const before = await existing(services, call.params.id);
    const fields: ScheduleFields = {
      name: body.name ?? before.name,
      queue: body.queue ?? before.queue,
      cron: body.cron ?? before.cron,
      timeZone: body.timeZone ?? before.timeZone,
      task: body.task ?? before.task,
      missedTickPolicy: body.missedTickPolicy ?? before.missedTickPolicy,
      enabled: body.enabled ?? before.enabled,
      nextTickAt: before.nextTickAt,
    };
    const cron = parseCron(fields.cron, fields.timeZone);
    if (body.cron !== undefined || body.timeZone !== undefined) nextTick(cron, now);
    fields.timeZone = cron.timeZone;
    // The queue and template are checked only when they change, so a schedule whose queue was
    // deleted can still be disabled or pointed elsewhere.
    if (body.queue !== undefined || body.task !== undefined) await checkTaskFor(services, fields.queue, fields.task);
    if (fields.name !== before.name && (await services.schedules.getByName(fields.name))) throw nameTaken(fields.name);
    // A new pattern, zone or enabling starts from the next tick after now: ticks that fell while
    // it was disabled are not missed, they were not wanted. Other changes keep the tick due.
    const rearmed = fields.cron !== before.cron || fields.timeZone !== before.timeZone || fields.enabled !== before.enabled;
    if (rearmed) fields.nextTickAt = fields.enabled ? nextTick(cron, now) : null;
    const after = await services.schedules.update(before.id, before.revision, fields);
    if (after === 'name-taken') throw nameTaken(fields.name);
    if (after === 'changed') throw new ApiProblem(409, apiErrorCodes.conflict, `schedule ${before.name} was changed or deleted meanwhile; read it again and retry`, 'params.id');
    call.audit.target = `schedule:${after.name}`;
    call.audit.before = auditSummary(before);
    call.audit.after = auditSummary(after);
    return toScheduleView(after, now);
  },

  'schedules.delete': async (call, services) => {
    const deleted = await services.schedules.delete(call.params.id);
    if (!deleted) throw new ApiProblem(404, apiErrorCodes.notFound, `no schedule ${call.params.id}`, 'params.id');
    call.audit.target = `schedule:${deleted.name}`;
    call.audit.before = auditSummary(deleted);
    return undefined;
  },

  'schedules.preview': async ({ body }) => {
    const cron = parseCron(body.cron, body.timeZone);
    return { cron: body.cron, timeZone: cron.timeZone, runs: runsOf(cron, body.count, body.from ?? Date.now()) };
  },
};
