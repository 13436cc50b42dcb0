/**
 * The Overview's time ranges and how each reads the agent's metrics history (docs/metrics.md):
 * the history keeps a point per queue per second for the last hour and per minute for the last
 * week. Each range asks for the coarsest resolution that still shows it well, then groups the
 * points into buckets so a chart has at most a few hundred points, and refreshes at a pace that
 * fits its bucket (refetching a week of minutes every 3 s would be waste).
 */
import type { MetricResolution } from '../../../shared/api/schemas/metrics.js';

export interface MetricRange {
  label: string;
  /** How far back from now the range starts. */
  spanMs: number;
  resolution: MetricResolution;
  /** The width of one chart point; counts are per bucket. */
  bucketMs: number;
  /** How often the view refetches while shown. */
  refreshMs: number;
}

export const metricRanges = {
  '5m': { label: '5 min', spanMs: 5 * 60_000, resolution: 'second', bucketMs: 5_000, refreshMs: 3_000 },
  // Seconds would be 3 600 points a queue; the minute points of the last hour are already rolled
  // up (the current minute appears once it ends).
  '1h': { label: '1 h', spanMs: 3_600_000, resolution: 'minute', bucketMs: 60_000, refreshMs: 15_000 },
  '24h': { label: '24 h', spanMs: 86_400_000, resolution: 'minute', bucketMs: 15 * 60_000, refreshMs: 60_000 },
  '7d': { label: '7 d', spanMs: 7 * 86_400_000, resolution: 'minute', bucketMs: 3_600_000, refreshMs: 60_000 },
} as const satisfies Record<string, MetricRange>;

export type MetricRangeName = keyof typeof metricRanges;
export const metricRangeNames = Object.keys(metricRanges) as MetricRangeName[];

/** "per 5 s", "per 1 min", "per 15 min", "per 1 h": what a bucket's counts cover. */
export function bucketLabel(bucketMs: number): string {
  if (bucketMs < 60_000) return `per ${bucketMs / 1_000} s`;
  if (bucketMs < 3_600_000) return `per ${bucketMs / 60_000} min`;
  return `per ${bucketMs / 3_600_000} h`;
}
