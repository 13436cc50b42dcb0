import type { MissedTickPolicy } from '../../shared/schedule.js';
import type { CronSchedule } from './CronSchedule.js';

/** Where a schedule stands: its last enqueued tick and the next one due. Epoch milliseconds. */
export interface TickState {
  lastTickAt: number | null;
  nextTickAt: number | null;
  missedTickPolicy: MissedTickPolicy;
}

export interface PlannedTick {
  /** The tick's scheduled time: the time in its idempotency key. */
  at: number;
  /** True for the one task of `run-once` that stands for every missed tick from `at` on. */
  catchUp: boolean;
}

export interface TickPlan {
  /** The ticks to enqueue now, oldest first. */
  ticks: PlannedTick[];
  /** Where the schedule stands once they are enqueued. */
  lastTickAt: number | null;
  nextTickAt: number | null;
  /** The first missed tick (dropped by `skip`, caught up by `run-once`), or null when none was missed. */
  missedFrom: number | null;
}

export interface PlanOptions {
  /** A tick at most this late is enqueued as usual; an older one is missed. */
  graceMs: number;
  /** Most on-time ticks planned at once; the rest wait for the next round. */
  maxTicks: number;
}

/**
 * Decides which ticks of a schedule to enqueue at `now`. Pure: the scheduler reads the state,
 * enqueues the plan, and stores its outcome with a conditional update.
 *
 * A due tick (at or before `now`) is on time while it is at most `graceMs` old, and missed when
 * older. Missed ticks only happen when no agent could enqueue them (every agent down, or a failover
 * longer than the grace). `skip` drops them; `run-once` enqueues one task for all of them, keyed
 * by the first one's time, so every agent planning from the same state plans the same key. Then
 * every on-time tick is enqueued, each under its own key. Missed ticks are never enumerated, so a
 * per-second schedule that was down for a month costs nothing to catch up.
 */
export function planTicks(state: TickState, cron: CronSchedule, now: number, { graceMs, maxTicks }: PlanOptions): TickPlan {
  const ticks: PlannedTick[] = [];
  let cursor = state.nextTickAt;
  let missedFrom: number | null = null;
  if (cursor !== null && cursor <= now && cursor < now - graceMs) {
    missedFrom = cursor;
    if (state.missedTickPolicy === 'run-once') ticks.push({ at: cursor, catchUp: true });
    cursor = cron.firstAtOrAfter(now - graceMs);
  }
  while (cursor !== null && cursor <= now && ticks.length < maxTicks) {
    ticks.push({ at: cursor, catchUp: false });
    cursor = cron.nextAfter(cursor);
  }
  return { ticks, lastTickAt: ticks.at(-1)?.at ?? state.lastTickAt, nextTickAt: cursor, missedFrom };
}
