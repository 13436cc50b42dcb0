import { LogHistogram } from './LogHistogram.js';
import { percentilesOf, type QueuePoint, type SecondPoint } from './QueuePoint.js';

export const minuteMs = 60_000;

/**
 * The minute point of one queue from its second points in that minute (in any order; points of
 * other minutes or queues must not be given). Counts are summed; `depth` and `active` are those
 * of the last second, `depthMax` the largest depth of any second; percentiles are recomputed from
 * the merged histograms, so they keep the histograms' 1 % accuracy. Seconds missing from the
 * minute (no leader then) are simply absent: the sums cover the seconds that were recorded.
 */
export function rollUpMinute(queue: string, minute: number, seconds: readonly SecondPoint[]): QueuePoint {
  if (minute % minuteMs !== 0) throw new RangeError(`a minute starts on a whole minute, not at ${minute}`);
  if (seconds.length === 0) throw new RangeError('a minute is rolled up from at least one second');
  const wait = new LogHistogram();
  const run = new LogHistogram();
  let last = seconds[0]!;
  const sums = { enqueued: 0, succeeded: 0, failed: 0, dead: 0, cancelled: 0 };
  let depthMax = 0;
  for (const second of seconds) {
    if (second.queue !== queue || second.at < minute || second.at >= minute + minuteMs) {
      throw new RangeError(`second ${second.at} of queue ${second.queue} is not in minute ${minute} of queue ${queue}`);
    }
    for (const key of Object.keys(sums) as Array<keyof typeof sums>) sums[key] += second[key];
    depthMax = Math.max(depthMax, second.depthMax);
    if (second.at > last.at) last = second;
    wait.merge(second.wait);
    run.merge(second.run);
  }
  return { queue, at: minute, ...sums, depth: last.depth, depthMax, active: last.active, ...percentilesOf(wait, run) };
}
