import { z } from 'zod';

/**
 * The rolling metrics history of each queue (docs/metrics.md): one point per queue per second
 * for the last hour, and one per minute for the last week, rolled up from the seconds.
 */

export const metricResolutions = ['second', 'minute'] as const;
export type MetricResolution = (typeof metricResolutions)[number];

/** How long each resolution is kept, in milliseconds: an hour of seconds, a week of minutes. */
export const metricRetentionMs: Readonly<Record<MetricResolution, number>> = {
  second: 3_600_000,
  minute: 7 * 86_400_000,
};

/** Percentiles are in milliseconds, null when no task was measured in the period. */
const percentile = z.number().nullable();

/**
 * One period (a second or a minute) of one queue. Counts are of the period; `depth` and
 * `active` are sampled at its end.
 */
export const metricPoint = z.object({
  /** Start of the period, epoch milliseconds (a whole second, or a whole minute). */
  at: z.number(),
  /** Tasks created (a task run again by hand counts again). */
  enqueued: z.int(),
  /** Tasks that succeeded. */
  succeeded: z.int(),
  /** Attempts that failed or whose lease ran out, counted when their task finished. */
  failed: z.int(),
  /** Tasks that went dead (their last allowed attempt failed). */
  dead: z.int(),
  cancelled: z.int(),
  /** Tasks waiting to run (queued + scheduled) at the end of the period. */
  depth: z.int(),
  /** The largest `depth` sampled in the period (equal to `depth` for a second). */
  depthMax: z.int(),
  /** Tasks running at the end of the period. */
  active: z.int(),
  /** Finished tasks (succeeded or dead) whose queue wait and run time the percentiles cover. */
  measured: z.int(),
  /** Queue wait: from when the task was due to when its first attempt started. */
  waitP50: percentile,
  waitP95: percentile,
  waitP99: percentile,
  /** Run time of the last attempt: from its start to the task's finish. */
  runP50: percentile,
  runP95: percentile,
  runP99: percentile,
});
export type MetricPoint = z.infer<typeof metricPoint>;

const epochMilliseconds = z.coerce.number().int().min(0).max(8.64e15);

/** `GET /queues/:name/metrics`: a resolution and a time range (default: the last 15 minutes of seconds, or the last day of minutes). */
export const queueMetricsQuery = z.strictObject({
  resolution: z.enum(metricResolutions).optional(),
  /** Points at or after this time (epoch milliseconds). */
  since: epochMilliseconds.optional(),
  /** Points at or before this time (epoch milliseconds). Default: now. */
  until: epochMilliseconds.optional(),
});

/** How far back `since` defaults to from `until`, per resolution. */
export const defaultMetricSpanMs: Readonly<Record<MetricResolution, number>> = {
  second: 15 * 60_000,
  minute: 86_400_000,
};

export const queueMetrics = z.object({
  queue: z.string(),
  resolution: z.enum(metricResolutions),
  /** Oldest first. A missing period means no agent was leading then (or the queue did not exist). */
  points: z.array(metricPoint),
});

/** `GET /metrics/overview`: every queue with its latest second point. */
export const metricsOverview = z.object({
  queues: z.array(
    z.object({
      name: z.string(),
      /** Null when nothing was recorded for the queue in the last hour. */
      latest: metricPoint.nullable(),
    }),
  ),
});
