import { describe, expect, it } from 'vitest';
import { CronSchedule } from '../../../agent/schedules/CronSchedule.js';
import { planTicks, type TickState } from '../../../agent/schedules/planTicks.js';

const minute = 60_000;
const everyMinute = CronSchedule.parse('* * * * *', 'UTC');
const everySecond = CronSchedule.parse('* * * * * *', 'UTC');
/** 30 seconds past a minute. */
const now = Date.UTC(2025, 5, 1, 12, 0, 30);
const minuteBefore = (count: number) => Date.UTC(2025, 5, 1, 12, 0) - count * minute;
const options = { graceMs: 60_000, maxTicks: 100 };

function state(nextTickAt: number | null, missedTickPolicy: TickState['missedTickPolicy'] = 'skip', lastTickAt: number | null = null): TickState {
  return { nextTickAt, lastTickAt, missedTickPolicy };
}

describe('planTicks', () => {
  it('plans nothing before the next tick is due', () => {
    expect(planTicks(state(now + 1000), everyMinute, now, options)).toEqual({ ticks: [], lastTickAt: null, nextTickAt: now + 1000, missedFrom: null });
    expect(planTicks(state(null), everyMinute, now, options).ticks).toEqual([]);
  });

  it('enqueues a due tick and moves on to the next', () => {
    const plan = planTicks(state(minuteBefore(0)), everyMinute, now, options);
    expect(plan).toEqual({ ticks: [{ at: minuteBefore(0), catchUp: false }], lastTickAt: minuteBefore(0), nextTickAt: minuteBefore(-1), missedFrom: null });
  });

  it('enqueues every late tick still within the grace, each on its own', () => {
    const plan = planTicks(state(now - 10_000), everySecond, now, options);
    expect(plan.ticks.map((tick) => tick.at)).toEqual(Array.from({ length: 11 }, (_, index) => now - 10_000 + index * 1000));
    expect(plan.missedFrom).toBeNull();
    expect(plan.nextTickAt).toBe(now + 1000);
  });

  it('skip: drops the missed ticks and moves to the next tick to come', () => {
    const plan = planTicks(state(minuteBefore(10), 'skip', minuteBefore(11)), everyMinute, now, { ...options, graceMs: 1000 });
    expect(plan).toEqual({ ticks: [], lastTickAt: minuteBefore(11), nextTickAt: minuteBefore(-1), missedFrom: minuteBefore(10) });
  });

  it('run-once: one task for every missed tick, keyed by the first, then goes on', () => {
    const plan = planTicks(state(minuteBefore(10), 'run-once'), everyMinute, now, { ...options, graceMs: 1000 });
    expect(plan).toEqual({ ticks: [{ at: minuteBefore(10), catchUp: true }], lastTickAt: minuteBefore(10), nextTickAt: minuteBefore(-1), missedFrom: minuteBefore(10) });
  });

  it('run-once: ticks within the grace after the missed ones are enqueued as usual', () => {
    const plan = planTicks(state(minuteBefore(10), 'run-once'), everyMinute, now, { ...options, graceMs: 45_000 });
    expect(plan.ticks).toEqual([
      { at: minuteBefore(10), catchUp: true },
      { at: minuteBefore(0), catchUp: false },
    ]);
    expect(plan.nextTickAt).toBe(minuteBefore(-1));
  });

  it('skip: a tick within the grace after missed ones still runs', () => {
    const plan = planTicks(state(minuteBefore(10), 'skip'), everyMinute, now, { ...options, graceMs: 45_000 });
    expect(plan.ticks).toEqual([{ at: minuteBefore(0), catchUp: false }]);
  });

  it('never enumerates missed ticks: a per-second schedule down for a year plans at once', () => {
    const plan = planTicks(state(now - 365 * 86_400_000, 'run-once'), everySecond, now, { graceMs: 0, maxTicks: 100 });
    expect(plan.ticks).toEqual([{ at: now - 365 * 86_400_000, catchUp: true }, { at: now, catchUp: false }]);
  });

  it('plans at most maxTicks on-time ticks; the rest stay due for the next round', () => {
    const plan = planTicks(state(now - 30_000), everySecond, now, { graceMs: 60_000, maxTicks: 5 });
    expect(plan.ticks).toHaveLength(5);
    expect(plan.nextTickAt).toBe(now - 25_000);
  });
});
