import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../../agent/metrics/LogHistogram.js';
import { percentilesOf, type SecondPoint } from '../../../agent/metrics/QueuePoint.js';
import { rollUpMinute } from '../../../agent/metrics/rollUpMinute.js';

const minute = Date.UTC(2030, 0, 1, 12, 0);

/** A hand-made second point with the given counts and raw wait/run values. */
function second(offsetSeconds: number, fields: Partial<SecondPoint>, waits: number[] = [], runs: number[] = []): SecondPoint {
  const wait = new LogHistogram();
  const run = new LogHistogram();
  for (const value of waits) wait.add(value);
  for (const value of runs) run.add(value);
  const depth = fields.depth ?? 0;
  return {
    queue: 'mail',
    at: minute + offsetSeconds * 1000,
    enqueued: 0,
    succeeded: 0,
    failed: 0,
    dead: 0,
    cancelled: 0,
    depth,
    depthMax: depth,
    active: 0,
    ...percentilesOf(wait, run),
    ...fields,
    wait,
    run,
  };
}

describe('rollUpMinute', () => {
  it('sums the counts, keeps the last depth and active, and the largest depth', () => {
    const seconds = [
      second(0, { enqueued: 10, succeeded: 2, failed: 1, dead: 1, cancelled: 0, depth: 8, active: 2 }),
      second(30, { enqueued: 5, succeeded: 7, failed: 3, dead: 0, cancelled: 1, depth: 40, active: 5 }),
      second(59, { enqueued: 1, succeeded: 4, failed: 0, dead: 2, cancelled: 0, depth: 3, active: 1 }),
    ];
    // Given out of order: the last second is found by time.
    const point = rollUpMinute('mail', minute, [seconds[2]!, seconds[0]!, seconds[1]!]);
    expect(point).toMatchObject({ queue: 'mail', at: minute, enqueued: 16, succeeded: 13, failed: 4, dead: 3, cancelled: 1, depth: 3, depthMax: 40, active: 1, measured: 0 });
    expect(point.waitP50).toBeNull();
    expect(point.runP99).toBeNull();
  });

  it('recomputes percentiles from the merged histograms, not from the seconds’ percentiles', () => {
    // One busy second of fast tasks and one quiet second with a slow one.
    const fast = Array.from({ length: 99 }, (_, index) => 10 + (index % 10));
    const seconds = [second(1, {}, fast, fast), second(2, {}, [5_000], [5_000])];
    const point = rollUpMinute('mail', minute, seconds);
    expect(point.measured).toBe(100);
    // Nearest rank over all 100 runs: p50 and p95 are fast tasks, p99 is the 99th smallest (19 ms), not the slow one.
    expect(point.runP50).toBe(14);
    expect(point.runP95).toBe(19);
    expect(point.runP99).toBe(19);
    expect(point.waitP99).toBe(19);
    // Averaging the seconds' p50s would have said about 2.5 s.
    const averaged = (seconds[0]!.runP50! + seconds[1]!.runP50!) / 2;
    expect(averaged).toBeGreaterThan(2_000);
    // With two slow tasks of 100, p99 lands on the slow bucket (within 1 %).
    const slower = rollUpMinute('mail', minute, [second(1, {}, fast.slice(1), fast.slice(1)), second(2, {}, [5_000, 5_000], [5_000, 5_000])]);
    expect(Math.abs(slower.runP99! - 5_000)).toBeLessThanOrEqual(50);
  });

  it('one second rolls up to the same numbers as the second itself', () => {
    const only = second(17, { enqueued: 3, succeeded: 3, depth: 2, active: 1 }, [1, 2, 3, 400], [10, 20, 3_000, 123_456]);
    const point = rollUpMinute('mail', minute, [only]);
    const { wait: _wait, run: _run, ...fields } = only;
    expect(point).toEqual({ ...fields, at: minute });
  });

  it('refuses seconds of another minute or queue, and a minute that is not whole', () => {
    expect(() => rollUpMinute('mail', minute, [second(60, {})])).toThrow(RangeError);
    expect(() => rollUpMinute('mail', minute, [{ ...second(1, {}), queue: 'other' }])).toThrow(RangeError);
    expect(() => rollUpMinute('mail', minute + 1_000, [second(1, {})])).toThrow(RangeError);
    expect(() => rollUpMinute('mail', minute, [])).toThrow(RangeError);
  });
});
