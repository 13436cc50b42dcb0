import { z } from 'zod';
import { defaultMissedTickPolicy, defaultScheduleTimeZone, missedTickPolicies, scheduleNamePattern } from '../../schedule.js';
import { queueName } from './queues.js';
import { taskInput } from './tasks.js';

export const scheduleName = z.string().regex(scheduleNamePattern, 'must be 1 to 64 letters, digits, dots, underscores or dashes');

/** Checked for its syntax by the agent (croner), which names the fault. */
export const cronPattern = z.string().min(1).max(200);

/** An IANA time zone name, checked by the agent. */
export const timeZoneName = z.string().min(1).max(64);

/** Epoch milliseconds up to the largest a Date holds. */
const epochMilliseconds = z.int().min(0).max(8.64e15);

/** The fields of a task a schedule enqueues, with the bounds of `tasks.enqueue` (see ScheduleTaskTemplate). */
const { type, payload, priority, maxAttempts, timeoutMs, backoff } = taskInput.shape;
const taskTemplateFields = { type, payload, priority, maxAttempts, timeoutMs, backoff };

export const scheduleTaskTemplate = z.strictObject(taskTemplateFields);

/** `POST /schedules`: name, queue, cron and task are required. */
export const createScheduleRequest = z.strictObject({
  name: scheduleName,
  queue: queueName,
  cron: cronPattern,
  timeZone: timeZoneName.default(defaultScheduleTimeZone),
  task: scheduleTaskTemplate,
  missedTickPolicy: z.enum(missedTickPolicies).default(defaultMissedTickPolicy),
  enabled: z.boolean().default(true),
});
export type CreateScheduleRequest = z.infer<typeof createScheduleRequest>;

/** `PATCH /schedules/:id`: the fields to change. A `task` replaces the whole template. */
export const updateScheduleRequest = z
  .strictObject({
    name: scheduleName.optional(),
    queue: queueName.optional(),
    cron: cronPattern.optional(),
    timeZone: timeZoneName.optional(),
    task: scheduleTaskTemplate.optional(),
    missedTickPolicy: z.enum(missedTickPolicies).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((update) => Object.keys(update).length > 0, { message: 'give at least one of name, queue, cron, timeZone, task, missedTickPolicy, enabled' });
export type UpdateScheduleRequest = z.infer<typeof updateScheduleRequest>;

/** One run time: the instant, and the same instant as local time with its offset in the schedule's zone. */
export const scheduleRun = z.object({
  at: z.number(),
  /** e.g. `2025-03-10T09:00:00-04:00`. */
  iso: z.string(),
});
export type ScheduleRun = z.infer<typeof scheduleRun>;

/** A schedule as `GET` answers it; mirrors `Schedule` in shared/schedule.ts. */
export const scheduleSchema = z.object({
  id: z.string(),
  name: z.string(),
  queue: z.string(),
  cron: z.string(),
  timeZone: z.string(),
  task: z.object(taskTemplateFields),
  missedTickPolicy: z.enum(missedTickPolicies),
  enabled: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastTickAt: z.number().nullable(),
  nextTickAt: z.number().nullable(),
  /** The next five run times from now; empty while disabled. */
  nextRuns: z.array(scheduleRun),
});
export type ScheduleView = z.infer<typeof scheduleSchema>;

export const schedulesResponse = z.object({ schedules: z.array(scheduleSchema) });

export const scheduleParams = z.strictObject({ id: z.uuid() });

/** Most run times one preview answers. */
export const maxPreviewRuns = 50;

/** `POST /schedules/preview`: the next `count` run times of a pattern after `from` (default now). */
export const previewScheduleRequest = z.strictObject({
  cron: cronPattern,
  timeZone: timeZoneName.default(defaultScheduleTimeZone),
  count: z.int().min(1).max(maxPreviewRuns).default(5),
  from: epochMilliseconds.optional(),
});

export const previewScheduleResponse = z.object({
  cron: z.string(),
  timeZone: z.string(),
  /** Fewer than `count` (or none) when the pattern runs out, e.g. a year field in the past. */
  runs: z.array(scheduleRun),
});
