/**
 * Turns the metrics history of one or more queues into chart rows: one row per bucket of
 * `bucketMs`, oldest first. Pure, so it is unit-tested without a browser.
 *
 * - **Counts** (enqueued, succeeded, failed, dead, cancelled) are summed over the bucket's
 *   periods and over the queues.
 * - **Depth** is per queue: the depth of that queue's latest period in the bucket (depth is
 *   sampled at the end of a period, so the latest sample is the bucket's end state).
 * - **Percentiles** cannot be merged from percentiles (an average of p99s is not a p99; see
 *   docs/metrics.md), so a bucket shows the **highest** of its periods' values, over every queue:
 *   an upper bound, the worst period in the bucket. Null when no task was measured.
 */
import type { MetricPoint } from '../../../shared/api/schemas/metrics.js';

export const countFields = ['enqueued', 'succeeded', 'failed', 'dead', 'cancelled'] as const;
export const percentileFields = ['waitP50', 'waitP95', 'waitP99', 'runP50', 'runP95', 'runP99'] as const;
type CountField = (typeof countFields)[number];
type PercentileField = (typeof percentileFields)[number];

export type ChartRow = { at: number; depth: Record<string, number> } & Record<CountField, number> & Record<PercentileField, number | null>;

export interface QueueSeries {
  queue: string;
  /** Oldest first, as `metrics.queue` answers them. */
  points: readonly MetricPoint[];
}

function emptyRow(at: number): ChartRow {
  return {
    at,
    depth: {},
    enqueued: 0,
    succeeded: 0,
    failed: 0,
    dead: 0,
    cancelled: 0,
    waitP50: null,
    waitP95: null,
    waitP99: null,
    runP50: null,
    runP95: null,
    runP99: null,
  };
}

export function chartRows(series: readonly QueueSeries[], bucketMs: number): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  /** The `at` of the period each row's depth per queue was taken from. */
  const depthAt = new Map<ChartRow, Map<string, number>>();
  for (const { queue, points } of series) {
    for (const point of points) {
      const at = Math.floor(point.at / bucketMs) * bucketMs;
      let row = rows.get(at);
      if (!row) {
        row = emptyRow(at);
        rows.set(at, row);
        depthAt.set(row, new Map());
      }
      for (const field of countFields) row[field] += point[field];
      for (const field of percentileFields) {
        const value = point[field];
        if (value !== null) row[field] = Math.max(row[field] ?? value, value);
      }
      const taken = depthAt.get(row)!;
      if ((taken.get(queue) ?? -Infinity) <= point.at) {
        taken.set(queue, point.at);
        row.depth[queue] = point.depth;
      }
    }
  }
  return [...rows.values()].sort((left, right) => left.at - right.at);
}

/** The sums of each count over all rows: the range's totals. */
export function countTotals(rows: readonly ChartRow[]): Record<CountField, number> {
  const totals = { enqueued: 0, succeeded: 0, failed: 0, dead: 0, cancelled: 0 };
  for (const row of rows) for (const field of countFields) totals[field] += row[field];
  return totals;
}
