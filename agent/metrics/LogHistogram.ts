/** Relative accuracy of every quantile a `LogHistogram` answers: 1 %. */
export const relativeAccuracy = 0.01;

/** Ratio between the bounds of one bucket: (1 + α) / (1 − α). */
const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
const logGamma = Math.log(gamma);

/** Upper bound of bucket `index` ≥ 1: γ^(index − 1). Bucket 0 holds only 0 ms. */
function upperBound(index: number): number {
  return Math.pow(gamma, index - 1);
}

/** The bucket of a whole, non-negative number of milliseconds. */
export function bucketOf(ms: number): number {
  if (ms <= 0) return 0;
  let index = 1 + Math.ceil(Math.log(ms) / logGamma);
  // Floating point may put a value on a bucket bound one bucket off; the bounds decide.
  while (ms > upperBound(index)) index += 1;
  while (index > 1 && ms <= upperBound(index - 1)) index -= 1;
  return index;
}

/**
 * The value a quantile landing in bucket `index` answers: the point of (γ^(i−2), γ^(i−1)] within
 * α of both ends, moved inside the whole numbers the bucket can hold (so the answer is exact while
 * a bucket holds one whole number, up to about 50 ms).
 */
export function bucketValue(index: number): number {
  if (index <= 0) return 0;
  const upper = upperBound(index);
  const lower = upper / gamma;
  const middle = (2 * upper) / (gamma + 1);
  const lowestWhole = Math.floor(lower) + 1;
  const highestWhole = Math.floor(upper);
  if (lowestWhole > highestWhole) return middle;
  return Math.min(Math.max(middle, lowestWhole), highestWhole);
}

/**
 * A histogram of durations in whole milliseconds with logarithmic buckets whose bounds are fixed
 * (the DDSketch scheme, without its bucket collapsing): bucket 0 holds 0 ms, bucket i ≥ 1 holds
 * (γ^(i−2), γ^(i−1)] with γ = (1 + α)/(1 − α) and α = 1 %. Because the bounds never move, two
 * histograms merge by adding counts bucket by bucket, and a quantile of merged histograms is as
 * accurate as one of the raw values: within 1 % (relative) of the true nearest-rank quantile.
 *
 * Size: one entry per bucket in use. From 1 ms to an hour spans about 760 buckets, a week about
 * 1 020; a second of similar tasks typically fills a handful.
 */
export class LogHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  /** How many values it holds. */
  get count(): number {
    return this.total;
  }

  /** Adds `times` values of `ms` (rounded to a whole millisecond; negatives count as 0; not-finite values are ignored). */
  add(ms: number, times = 1): this {
    if (!Number.isFinite(ms) || times <= 0) return this;
    const index = bucketOf(Math.max(0, Math.round(ms)));
    this.counts.set(index, (this.counts.get(index) ?? 0) + times);
    this.total += times;
    return this;
  }

  /** Adds every value of `other` to this one. */
  merge(other: LogHistogram): this {
    for (const [index, times] of other.counts) {
      this.counts.set(index, (this.counts.get(index) ?? 0) + times);
      this.total += times;
    }
    return this;
  }

  /**
   * The nearest-rank quantile for each `q` in [0, 1] (the ⌈q·n⌉-th smallest value), within 1 %;
   * null for an empty histogram.
   */
  quantiles(qs: readonly number[]): Array<number | null> {
    if (this.total === 0) return qs.map(() => null);
    const indexes = [...this.counts.keys()].sort((a, b) => a - b);
    return qs.map((q) => {
      const rank = Math.min(this.total, Math.max(1, Math.ceil(q * this.total)));
      let seen = 0;
      for (const index of indexes) {
        seen += this.counts.get(index)!;
        if (seen >= rank) return bucketValue(index);
      }
      return bucketValue(indexes[indexes.length - 1]!);
    });
  }

  /** The buckets in use as flat `[index, count, index, count, …]` pairs, by index: how it is stored. */
  toPairs(): number[] {
    const pairs: number[] = [];
    for (const index of [...this.counts.keys()].sort((a, b) => a - b)) pairs.push(index, this.counts.get(index)!);
    return pairs;
  }

  /** The histogram stored by `toPairs` (a malformed tail is ignored). */
  static fromPairs(pairs: readonly number[] | null | undefined): LogHistogram {
    const histogram = new LogHistogram();
    for (let offset = 0; pairs && offset + 1 < pairs.length; offset += 2) {
      const index = pairs[offset]!;
      const times = pairs[offset + 1]!;
      if (Number.isInteger(index) && index >= 0 && Number.isInteger(times) && times > 0) {
        histogram.counts.set(index, (histogram.counts.get(index) ?? 0) + times);
        histogram.total += times;
      }
    }
    return histogram;
  }
}
