import type { Command } from 'commander';
import type { ResponseOf } from '../../../shared/api/client.js';
import { missedTickPolicies } from '../../../shared/schedule.js';
import { UsageError } from './errors.js';
import { scheduleId } from './lookUp.js';
import { brief, fields, table, time } from './output.js';
import { defined, instant, jsonValue, oneOf, wholeNumber } from './parseOption.js';
import { Taskctl } from './Taskctl.js';

type Schedule = ResponseOf<'schedules.get'>;

interface TemplateFlags {
  type?: string;
  payload?: string;
  priority?: string;
  maxAttempts?: string;
  timeoutMs?: string;
}

interface ScheduleFlags extends TemplateFlags {
  name?: string;
  queue?: string;
  cron?: string;
  timeZone?: string;
  missed?: string;
  enable?: boolean;
  disable?: boolean;
}

/** `taskctl schedules list|get|create|update|delete|preview`: cron schedules that enqueue a task at every tick. */
export function registerSchedulesCommand(program: Command): void {
  const schedules = program.command('schedules').description('cron schedules that enqueue a task on a queue at every tick');

  schedules
    .command('list')
    .description('every schedule with its next run')
    .action(async (_flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const answer = await taskctl.api.call('schedules.list', {});
      taskctl.output.result(answer, () =>
        table(
          ['name', 'queue', 'cron', 'time zone', 'task', 'state', 'next run', 'last tick', 'id'],
          answer.schedules.map((schedule) => [
            schedule.name,
            schedule.queue,
            schedule.cron,
            schedule.timeZone,
            schedule.task.type,
            schedule.enabled ? 'enabled' : 'disabled',
            schedule.nextRuns[0]?.iso ?? '-',
            time(schedule.lastTickAt),
            schedule.id,
          ]),
          '(no schedules)',
        ),
      );
    });

  schedules
    .command('get')
    .description('one schedule with its next five runs')
    .argument('<schedule>', 'name or id')
    .action(async (given: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const schedule = await taskctl.api.call('schedules.get', { params: { id: await scheduleId(taskctl.api, given) } });
      taskctl.output.result(schedule, () => describeSchedule(schedule));
    });

  withTemplateFlags(
    schedules
      .command('create')
      .description('create a schedule')
      .requiredOption('--name <name>', '1 to 64 letters, digits, ., _ or -')
      .requiredOption('--queue <queue>', 'the queue its tasks go to')
      .requiredOption('--cron <pattern>', 'when: 5 fields (6 with seconds first), or @hourly, @daily…')
      .requiredOption('--type <type>', 'the type of the task it enqueues')
      .option('--time-zone <zone>', 'the IANA time zone the pattern is read in (default UTC)')
      .option('--missed <policy>', `ticks missed while no agent ran: ${missedTickPolicies.join(' or ')} (default skip)`)
      .option('--disable', 'create it disabled'),
  ).action(async (flags: ScheduleFlags & { name: string; queue: string; cron: string; type: string }, command: Command) => {
    const taskctl = Taskctl.of(command);
    const body = {
      name: flags.name,
      queue: flags.queue,
      cron: flags.cron,
      task: { type: flags.type, ...templateOf(flags) },
      ...defined({
        timeZone: flags.timeZone,
        missedTickPolicy: flags.missed === undefined ? undefined : oneOf('--missed', flags.missed, missedTickPolicies),
        enabled: flags.disable ? false : undefined,
      }),
    };
    const schedule = await taskctl.api.call('schedules.create', { body });
    taskctl.output.result(schedule, () => `created schedule ${schedule.name} (${schedule.id}); next run ${schedule.nextRuns[0]?.iso ?? 'none'}`);
  });

  withTemplateFlags(
    schedules
      .command('update')
      .description("change a schedule; task flags change only those fields of its task")
      .argument('<schedule>', 'name or id')
      .option('--name <name>', 'a new name')
      .option('--queue <queue>', 'another queue')
      .option('--cron <pattern>', 'a new pattern')
      .option('--time-zone <zone>', 'another time zone')
      .option('--type <type>', 'another task type')
      .option('--missed <policy>', missedTickPolicies.join(' or '))
      .option('--enable', 'start ticking again')
      .option('--disable', 'stop ticking (nothing is enqueued while disabled)'),
  ).action(async (given: string, flags: ScheduleFlags, command: Command) => {
    const taskctl = Taskctl.of(command);
    if (flags.enable && flags.disable) throw new UsageError('--enable and --disable: give one');
    const id = await scheduleId(taskctl.api, given);
    const template = defined({ type: flags.type, ...templateOf(flags) });
    // The API replaces the whole task template: merge the flags given into the current one.
    const task = Object.keys(template).length > 0 ? { ...(await taskctl.api.call('schedules.get', { params: { id } })).task, ...template } : undefined;
    const body = defined({
      name: flags.name,
      queue: flags.queue,
      cron: flags.cron,
      timeZone: flags.timeZone,
      missedTickPolicy: flags.missed === undefined ? undefined : oneOf('--missed', flags.missed, missedTickPolicies),
      enabled: flags.enable ? true : flags.disable ? false : undefined,
      task,
    });
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one option (see taskctl schedules update --help)');
    const schedule = await taskctl.api.call('schedules.update', { params: { id }, body });
    taskctl.output.result(schedule, () => `updated schedule ${schedule.name}\n${describeSchedule(schedule)}`);
  });

  schedules
    .command('delete')
    .description('delete a schedule (tasks it enqueued stay)')
    .argument('<schedule>', 'name or id')
    .action(async (given: string, _flags: unknown, command: Command) => {
      const taskctl = Taskctl.of(command);
      const id = await scheduleId(taskctl.api, given);
      await taskctl.api.call('schedules.delete', { params: { id } });
      taskctl.output.result({ deleted: { schedule: id } }, () => `deleted schedule ${given}`);
    });

  schedules
    .command('preview')
    .description('the next run times of a cron pattern, without saving anything')
    .argument('<pattern>', 'the cron pattern (quote it)')
    .option('--time-zone <zone>', 'the IANA time zone (default UTC)')
    .option('--count <n>', 'how many run times (1 to 50; default 5)')
    .option('--from <time>', 'after this time instead of now: epoch ms or ISO 8601')
    .action(async (cron: string, flags: { timeZone?: string; count?: string; from?: string }, command: Command) => {
      const taskctl = Taskctl.of(command);
      const body = {
        cron,
        ...defined({
          timeZone: flags.timeZone,
          count: flags.count === undefined ? undefined : wholeNumber('--count', flags.count),
          from: flags.from === undefined ? undefined : instant('--from', flags.from, 'ahead'),
        }),
      };
      const answer = await taskctl.api.call('schedules.preview', { body });
      taskctl.output.result(answer, () => (answer.runs.length === 0 ? `${cron} has no run time after then` : answer.runs.map((run) => run.iso).join('\n')));
    });
}

function withTemplateFlags(command: Command): Command {
  return command
    .option('--payload <json>', 'the payload of each task, as JSON')
    .option('--priority <0-9>', 'the priority of each task')
    .option('--max-attempts <n>', 'attempts before each task is dead')
    .option('--timeout-ms <ms>', 'how long one attempt may run');
}

function templateOf(flags: TemplateFlags) {
  return defined({
    payload: flags.payload === undefined ? undefined : jsonValue('--payload', flags.payload),
    priority: flags.priority === undefined ? undefined : wholeNumber('--priority', flags.priority),
    maxAttempts: flags.maxAttempts === undefined ? undefined : wholeNumber('--max-attempts', flags.maxAttempts),
    timeoutMs: flags.timeoutMs === undefined ? undefined : wholeNumber('--timeout-ms', flags.timeoutMs),
  });
}

function describeSchedule(schedule: Schedule): string {
  return fields([
    ['name', schedule.name],
    ['id', schedule.id],
    ['queue', schedule.queue],
    ['cron', `${schedule.cron} (${schedule.timeZone})`],
    ['state', schedule.enabled ? 'enabled' : 'disabled'],
    ['missed ticks', schedule.missedTickPolicy],
    ['task', `${schedule.task.type} ${brief(schedule.task.payload, 120)}`],
    ['last tick', time(schedule.lastTickAt)],
    ['next runs', schedule.nextRuns.map((run) => run.iso).join(', ') || '-'],
  ]);
}
