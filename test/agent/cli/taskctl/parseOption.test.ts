import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../../agent/cli/taskctl/enqueueTasks.js';
import { UsageError } from '../../../../agent/cli/taskctl/errors.js';
import { instant, rateLimit, wholeNumber } from '../../../../agent/cli/taskctl/parseOption.js';

describe('flag values', () => {
  const now = Date.UTC(2026, 0, 10);

  it('reads times as epoch ms, ISO 8601, or a duration ago or ahead', () => {
    expect(instant('--since', '1767225600000', 'ago', now)).toBe(1_767_225_600_000);
    expect(instant('--since', '2026-01-01', 'ago', now)).toBe(Date.UTC(2026, 0, 1));
    expect(instant('--since', '2026-01-01T09:30:00+01:00', 'ago', now)).toBe(Date.UTC(2026, 0, 1, 8, 30));
    expect(instant('--since', '2h', 'ago', now)).toBe(now - 7_200_000);
    expect(instant('--expires', '30d', 'ahead', now)).toBe(now + 30 * 86_400_000);
    expect(() => instant('--since', 'yesterday', 'ago', now)).toThrow(new UsageError("--since: 'yesterday' must be epoch milliseconds, an ISO 8601 date-time, or a duration such as 2h or 7d"));
  });

  it('reads rate limits and whole numbers, naming the flag when they are not', () => {
    expect(rateLimit('--rate-limit', '100/1s')).toEqual({ max: 100, intervalMs: 1000 });
    expect(rateLimit('--rate-limit', '5/250')).toEqual({ max: 5, intervalMs: 250 });
    expect(rateLimit('--rate-limit', 'none')).toBeNull();
    expect(() => rateLimit('--rate-limit', '100 per second')).toThrow(/^--rate-limit: /);
    expect(wholeNumber('--priority', '7')).toBe(7);
    expect(() => wholeNumber('--priority', '7.5')).toThrow("--priority: '7.5' must be a whole number");
  });
});

describe('chunksOf', () => {
  it('cuts at the task count and at the byte budget, keeping order and each task once', () => {
    const tasks = Array.from({ length: 25 }, (_, index) => ({ type: 't', payload: index }));
    expect(chunksOf(tasks, 10).map((chunk) => [chunk.start, chunk.tasks.length])).toEqual([
      [0, 10],
      [10, 10],
      [20, 5],
    ]);
    const big = Array.from({ length: 5 }, (_, index) => ({ type: 't', payload: 'x'.repeat(100), index }));
    const size = JSON.stringify(big[0]).length + 1;
    const chunks = chunksOf(big, 10, size * 2);
    expect(chunks.map((chunk) => chunk.tasks.length)).toEqual([2, 2, 1]);
    expect(chunks.flatMap((chunk) => chunk.tasks)).toEqual(big);
    expect(chunksOf([{ type: 'huge', payload: 'x'.repeat(1000) }], 10, 10)).toHaveLength(1);
  });
});
