/**
 * Cron schedules: a cron pattern read in a time zone, and the task template enqueued on a queue
 * at every tick. The agent's leader runs them (agent/schedules/Scheduler.ts); see docs/schedules.md.
 */
import { queueNamePattern } from './queue.js';
import type { TaskInput } from './task.js';

/**
 * What to do about ticks that passed while no agent could enqueue them (every agent down, or the
 * schedule's leader gone for longer than the grace period):
 * - `skip`: enqueue nothing for them and go on with the next tick to come;
 * - `run-once`: enqueue one task that stands for all of them, then go on.
 */
export const missedTickPolicies = ['skip', 'run-once'] as const;
export type MissedTickPolicy = (typeof missedTickPolicies)[number];

export const defaultMissedTickPolicy: MissedTickPolicy = 'skip';
export const defaultScheduleTimeZone = 'UTC';

/** Schedule names follow the rule of queue names: 1–64 letters, digits, `.`, `_`, `-`. */
export const scheduleNamePattern = queueNamePattern;

/**
 * The task a tick enqueues. Times (`runAt`, `delayMs`) and the idempotency key are the
 * scheduler's to set; a trace context belongs to one request, not to every tick.
 */
export type ScheduleTaskTemplate = Pick<TaskInput, 'type' | 'payload' | 'priority' | 'maxAttempts' | 'timeoutMs' | 'backoff'>;

/** A schedule as stored. Times are epoch milliseconds. */
export interface Schedule {
  id: string;
  name: string;
  queue: string;
  /** A croner pattern: 5 fields, 6 with seconds first, 7 with years last, or a nickname (`@daily`). */
  cron: string;
  /** The IANA time zone the pattern is read in, e.g. `Europe/Berlin`. */
  timeZone: string;
  task: ScheduleTaskTemplate;
  missedTickPolicy: MissedTickPolicy;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** The scheduled time of the last tick enqueued; null before the first. */
  lastTickAt: number | null;
  /** The scheduled time of the next tick; null while disabled or when the pattern has no future time. */
  nextTickAt: number | null;
}

/**
 * The idempotency key of the task a tick enqueues: the schedule's id and the tick's scheduled time.
 * Every agent derives the same key for the same tick, so the engine keeps one task per tick.
 */
export function scheduleTickKey(scheduleId: string, tickAt: number): string {
  return `schedule:${scheduleId}:${new Date(tickAt).toISOString()}`;
}
