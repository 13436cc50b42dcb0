import type { MetricPoint } from '../../shared/api/schemas/metrics.js';
import { LogHistogram } from './LogHistogram.js';

/** A metric point of one queue, as the recorder writes it and the store reads it back. */
export interface QueuePoint extends MetricPoint {
  queue: string;
}

/**
 * A second point with the histograms its percentiles came from, kept so minutes can be rolled up
 * from merged data (a percentile of percentiles would be wrong).
 */
export interface SecondPoint extends QueuePoint {
  wait: LogHistogram;
  run: LogHistogram;
}

const quantiles = [0.5, 0.95, 0.99] as const;

/** The wait and run percentiles of a period, from its histograms. */
export function percentilesOf(
  wait: LogHistogram,
  run: LogHistogram,
): Pick<MetricPoint, 'measured' | 'waitP50' | 'waitP95' | 'waitP99' | 'runP50' | 'runP95' | 'runP99'> {
  const [waitP50, waitP95, waitP99] = wait.quantiles(quantiles);
  const [runP50, runP95, runP99] = run.quantiles(quantiles);
  return { measured: run.count, waitP50: waitP50!, waitP95: waitP95!, waitP99: waitP99!, runP50: runP50!, runP95: runP95!, runP99: runP99! };
}
