/** Durations of nodes and runs (renderer/src/workflows/runs/runDurations.ts). */
import { describe, expect, it } from 'vitest';
import { elapsed, formatDuration, formatElapsed } from '../../../../renderer/src/workflows/runs/runDurations.js';

describe('run durations', () => {
  it('measures to the finish, or to now while unfinished, and nothing before the start', () => {
    expect(elapsed(1_000, 3_500, 99_000)).toBe(2_500);
    expect(elapsed(1_000, null, 4_000)).toBe(3_000);
    expect(elapsed(null, null, 4_000)).toBeNull();
    expect(elapsed(5_000, null, 4_000)).toBe(0);
  });

  it('formats short and long durations', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(59_999)).toBe('59.9 s');
    expect(formatDuration(245_000)).toBe('4 m 05 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000 + 59_000)).toBe('2 h 03 m');
    expect(formatDuration(50 * 3_600_000)).toBe('2 d 02 h');
    expect(formatElapsed(null, null, 0)).toBe('—');
    expect(formatElapsed(0, 1_500, 0)).toBe('1.5 s');
  });
});
