import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketValue, LogHistogram, relativeAccuracy } from '../../../agent/metrics/LogHistogram.js';

/** The nearest-rank quantile of raw values: the ⌈q·n⌉-th smallest. */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}

describe('LogHistogram', () => {
  it('is exact for small whole milliseconds, where a bucket holds one whole number', () => {
    for (let ms = 0; ms <= 50; ms += 1) expect(new LogHistogram().add(ms).quantiles([0.5])[0]).toBe(ms);
  });

  it('answers every quantile within 1 % of the true nearest-rank quantile', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 * 86_400_000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        const histogram = new LogHistogram();
        for (const value of values) histogram.add(value);
        const truth = nearestRank(values, q);
        const answer = histogram.quantiles([q])[0]!;
        expect(Math.abs(answer - truth)).toBeLessThanOrEqual(truth * relativeAccuracy + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('puts each value in the bucket whose bounds hold it, and answers a value of that bucket', () => {
    for (const ms of [1, 2, 49, 50, 51, 99, 100, 101, 1_000, 12_345, 3_600_000, 604_800_000]) {
      const index = bucketOf(ms);
      expect(bucketOf(ms - 1)).toBeLessThanOrEqual(index);
      expect(bucketOf(ms + 1)).toBeGreaterThanOrEqual(index);
      expect(Math.abs(bucketValue(index) - ms)).toBeLessThanOrEqual(ms * relativeAccuracy);
    }
  });

  it('merges by adding buckets: the quantiles of merged histograms are those of one histogram of all the values', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 50 }), { minLength: 1, maxLength: 8 }), (parts) => {
        const merged = new LogHistogram();
        const whole = new LogHistogram();
        for (const part of parts) {
          const histogram = new LogHistogram();
          for (const value of part) {
            histogram.add(value);
            whole.add(value);
          }
          merged.merge(histogram);
        }
        expect(merged.count).toBe(whole.count);
        expect(merged.quantiles([0, 0.5, 0.95, 0.99, 1])).toEqual(whole.quantiles([0, 0.5, 0.95, 0.99, 1]));
        expect(merged.toPairs()).toEqual(whole.toPairs());
      }),
    );
  });

  it('stores as [bucket, count] pairs and reads them back; an empty one answers null', () => {
    const histogram = new LogHistogram().add(5).add(5).add(1_000).add(-3).add(Number.NaN);
    expect(histogram.count).toBe(4);
    const pairs = histogram.toPairs();
    expect(pairs).toEqual([0, 1, bucketOf(5), 2, bucketOf(1_000), 1]);
    expect(LogHistogram.fromPairs(pairs).quantiles([0, 0.5, 1])).toEqual(histogram.quantiles([0, 0.5, 1]));
    expect(LogHistogram.fromPairs([3, 0, -1, 2, 7])).toMatchObject({ count: 0 });
    expect(new LogHistogram().quantiles([0.5, 0.99])).toEqual([null, null]);
  });
});
