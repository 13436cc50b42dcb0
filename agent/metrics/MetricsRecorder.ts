import type { Logger } from 'pino';
import { metricRetentionMs, type MetricResolution } from '../../shared/api/schemas/metrics.js';
import type { StateCounts, Task } from '../../shared/task.js';
import type { Engine } from '../engine/Engine.js';
import { LogHistogram } from './LogHistogram.js';
import type { MetricStore } from './MetricStore.js';
import { percentilesOf, type SecondPoint } from './QueuePoint.js';
import { minuteMs, rollUpMinute } from './rollUpMinute.js';
import { taskTimings } from './taskTimings.js';

export interface MetricsRecorderOptions {
  engine: Engine;
  store: MetricStore;
  /** Asked every tick: only the cluster's leader records. */
  isLeader: () => boolean;
  log: Pick<Logger, 'debug' | 'error'>;
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** How long points are kept. Default `metricRetentionMs`: an hour of seconds, a week of minutes. */
  retentionMs?: Readonly<Record<MetricResolution, number>>;
  /** Least time between two prunes, in milliseconds. Default one minute. */
  pruneIntervalMs?: number;
}

/** The finished-state totals of a queue (they only grow) and the sum of every state (tasks ever created). */
interface Totals {
  created: number;
  succeeded: number;
  dead: number;
  cancelled: number;
}

/** What the archiver reported for a queue since the last point. */
interface Finished {
  wait: LogHistogram;
  run: LogHistogram;
  failed: number;
}

const secondMs = 1_000;

/**
 * Records the metrics history on the leader: every second, one point per queue (docs/metrics.md).
 *
 * - Counts come from the engine's O(1) per-state counts: `depth` and `active` as sampled, the
 *   throughput as the growth of the finished-state totals since the previous sample (`enqueued`
 *   from the growth of their sum). The first sample after start (or after gaining the lead) only
 *   sets the baseline: a point needs a previous sample to have counts.
 * - Timings come from the archiver: `observe(tasks)` with each batch it archived folds their queue
 *   wait and run times into that queue's histograms, which the next point takes.
 * - In the first tick of each minute, the minutes whose seconds are complete are rolled up (and
 *   missed minutes of the last hour caught up), then, once a minute, old points are pruned.
 *
 * Ticks run on a timer aligned to whole seconds, one at a time; a failure is logged and the next
 * tick goes on. Memory is bounded by the number of queues: a baseline and two histograms each.
 */
export class MetricsRecorder {
  private readonly engine: Engine;
  private readonly store: MetricStore;
  private readonly isLeader: () => boolean;
  private readonly log: MetricsRecorderOptions['log'];
  private readonly now: () => number;
  private readonly retentionMs: Readonly<Record<MetricResolution, number>>;
  private readonly pruneIntervalMs: number;
  private readonly previous = new Map<string, Totals>();
  private finished = new Map<string, Finished>();
  private lastAt = -Infinity;
  /** The latest minute rolled up, once known (read from the store when the lead is gained). */
  private rolledUpThrough: number | undefined;
  private prunedAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private started = false;
  private closed = false;

  constructor(options: MetricsRecorderOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.isLeader = options.isLeader;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.retentionMs = options.retentionMs ?? metricRetentionMs;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
  }

  /** Starts ticking at the next whole second. Calling it again does nothing. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.schedule();
  }

  /** Stops ticking and waits for a tick in progress. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.tick;
  }

  /** Folds the timings of finished tasks (a batch the archiver archived) into the next points. */
  observe(tasks: readonly Task[]): void {
    for (const task of tasks) {
      let finished = this.finished.get(task.queue);
      if (!finished) {
        finished = { wait: new LogHistogram(), run: new LogHistogram(), failed: 0 };
        this.finished.set(task.queue, finished);
      }
      const timings = taskTimings(task);
      finished.failed += timings.failedAttempts;
      if (timings.waitMs !== null) finished.wait.add(timings.waitMs);
      if (timings.runMs !== null) finished.run.add(timings.runMs);
    }
  }

  /**
   * One tick now, whether or not this agent leads: samples every queue, writes the points of this
   * second, rolls up completed minutes and prunes when due. Answers the points written. Errors
   * are thrown. For tests; the timer does the same on the leader, logging errors instead.
   */
  async recordOnce(): Promise<SecondPoint[]> {
    const at = Math.floor(this.now() / secondMs) * secondMs;
    if (at <= this.lastAt) return [];
    const points = await this.sample(at);
    await this.store.insertSeconds(points);
    this.lastAt = at;
    await this.rollUpCompleteMinutes(at);
    await this.pruneWhenDue();
    return points;
  }

  private schedule(): void {
    if (this.closed) return;
    // Just after the next whole second, so each tick samples a new second.
    const delay = secondMs - (this.now() % secondMs) + 5;
    this.timer = setTimeout(() => {
      this.tick = this.runTick()
        .catch((error: unknown) => this.log.error({ err: error }, 'recording metrics failed; trying again next second'))
        .finally(() => {
          this.tick = undefined;
          this.schedule();
        });
    }, delay);
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    if (this.closed) return;
    if (!this.isLeader()) {
      // Another agent records; whatever was sampled here is stale by the time the lead returns.
      this.previous.clear();
      this.finished.clear();
      this.rolledUpThrough = undefined;
      return;
    }
    await this.recordOnce();
  }

  /** The point of each queue for the second `at`, from fresh counts and what the archiver reported. */
  private async sample(at: number): Promise<SecondPoint[]> {
    const queues = await this.engine.listQueues();
    const counted = await Promise.all(
      queues.map(async (queue) => {
        try {
          return { name: queue.name, counts: await this.engine.counts(queue.name) };
        } catch {
          // Deleted since it was listed.
          return { name: queue.name, counts: undefined };
        }
      }),
    );
    const finished = this.finished;
    this.finished = new Map();
    const points: SecondPoint[] = [];
    const present = new Set<string>();
    for (const { name, counts } of counted) {
      if (!counts) continue;
      present.add(name);
      const totals = totalsOf(counts);
      const before = this.previous.get(name);
      this.previous.set(name, totals);
      const reported = finished.get(name) ?? { wait: new LogHistogram(), run: new LogHistogram(), failed: 0 };
      if (!before) {
        // Only a baseline this time: timings already reported wait for the queue's first point.
        if (reported.wait.count + reported.run.count + reported.failed > 0) this.finished.set(name, reported);
        continue;
      }
      const depth = counts.queued + counts.scheduled;
      points.push({
        queue: name,
        at,
        enqueued: growth(before.created, totals.created),
        succeeded: growth(before.succeeded, totals.succeeded),
        failed: reported.failed,
        dead: growth(before.dead, totals.dead),
        cancelled: growth(before.cancelled, totals.cancelled),
        depth,
        depthMax: depth,
        active: counts.active,
        ...percentilesOf(reported.wait, reported.run),
        wait: reported.wait,
        run: reported.run,
      });
    }
    for (const name of this.previous.keys()) if (!present.has(name)) this.previous.delete(name);
    return points;
  }

  /** Rolls up every minute that ended by `at` and is not rolled up yet (at most the seconds' retention back). */
  private async rollUpCompleteMinutes(at: number): Promise<void> {
    const lastComplete = Math.floor(at / minuteMs) * minuteMs - minuteMs;
    const oldestKept = Math.ceil((at - this.retentionMs.second) / minuteMs) * minuteMs;
    if (this.rolledUpThrough === undefined) this.rolledUpThrough = (await this.store.latestMinute()) ?? -Infinity;
    for (let minute = Math.max(this.rolledUpThrough + minuteMs, oldestKept); minute <= lastComplete; minute += minuteMs) {
      let rolled = 0;
      for (const queue of await this.store.queuesWithSeconds(minute, minute + minuteMs)) {
        const seconds = await this.store.seconds(queue, minute, minute + minuteMs);
        if (seconds.length === 0) continue;
        await this.store.upsertMinutes([rollUpMinute(queue, minute, seconds)]);
        rolled += 1;
      }
      this.rolledUpThrough = minute;
      if (rolled > 0) this.log.debug({ minute, queues: rolled }, 'rolled up a minute of metrics');
    }
  }

  private async pruneWhenDue(): Promise<void> {
    const now = this.now();
    if (now - this.prunedAt < this.pruneIntervalMs) return;
    // Marked before the attempt, so a failing prune also waits its interval.
    this.prunedAt = now;
    const deleted = await this.store.prune({ second: now - this.retentionMs.second, minute: now - this.retentionMs.minute });
    if (deleted > 0) this.log.debug({ deleted }, 'pruned metric points');
  }
}

function totalsOf(counts: StateCounts): Totals {
  let created = 0;
  for (const value of Object.values(counts)) created += value;
  return { created, succeeded: counts.succeeded, dead: counts.dead, cancelled: counts.cancelled };
}

/**
 * How much a total grew. Totals only grow; one that shrank was reset (its queue deleted and made
 * again, or Redis lost its data), and the second of the reset counts nothing rather than a guess.
 */
function growth(before: number, after: number): number {
  return Math.max(0, after - before);
}
