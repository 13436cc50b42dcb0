import type pg from 'pg';
import type { Logger } from 'pino';
import type { QueueDefinition } from '../../shared/queue.js';
import type { Task } from '../../shared/task.js';
import type { Engine } from '../engine/Engine.js';
import { insertHistory } from './insertHistory.js';
import { pruneHistory } from './pruneHistory.js';

export interface ArchiverOptions {
  pool: pg.Pool;
  engine: Engine;
  /** Asked before every tick and between batches; only the cluster's leader archives. */
  isLeader: () => boolean;
  /** Finished tasks taken from the engine per round trip and inserted per statement. Default 1000. */
  batchSize?: number;
  /** Pause between the end of one tick and the start of the next, in milliseconds. Default 1000. */
  intervalMs?: number;
  /** Least time between two prunes of one queue's history, in milliseconds. Default one minute. */
  pruneIntervalMs?: number;
  log: Pick<Logger, 'debug' | 'info' | 'error'>;
  /**
   * Called with each batch of one queue once it is in history and forgotten by the engine: every
   * finished task passes here exactly once per archiving (the event stream fans them out). It
   * runs synchronously on the archiver's tick, so it should hand the work off; a throw is logged.
   */
  onArchived?: (queue: string, tasks: readonly Task[]) => void;
}

/**
 * Moves finished tasks out of the engine into Postgres `task_history`, on the leader only.
 *
 * Each tick, for every queue the engine knows: take a batch of finished tasks, insert it in one
 * statement (skipping ids already there), then tell the engine to forget them; repeat while
 * batches come back full. A crash between insert and forget only means the batch is taken again
 * and skipped on insert, so a task is never lost and never archived twice. The queue's
 * `retention.payload` decides which payloads are kept; at most once per `pruneIntervalMs` the
 * queue's history is pruned to `retention.maxAgeMs` and `retention.maxCount`.
 *
 * It stays off the hot path: it runs on its own timer, one tick at a time (the next is scheduled
 * when the last ends), and a failure is logged and retried next tick, never thrown out of the timer.
 */
export class Archiver {
  private readonly pool: pg.Pool;
  private readonly engine: Engine;
  private readonly isLeader: () => boolean;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly pruneIntervalMs: number;
  private readonly log: ArchiverOptions['log'];
  private readonly onArchived: ArchiverOptions['onArchived'];
  private readonly archivedListeners = new Set<NonNullable<ArchiverOptions['onArchived']>>();
  private readonly prunedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private started = false;
  private closed = false;

  constructor(options: ArchiverOptions) {
    this.pool = options.pool;
    this.engine = options.engine;
    this.isLeader = options.isLeader;
    this.batchSize = options.batchSize ?? 1000;
    this.intervalMs = options.intervalMs ?? 1000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.log = options.log;
    this.onArchived = options.onArchived;
  }

  /** Starts ticking: the first tick runs at once. Calling it again does nothing. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops ticking and waits for a tick in progress to end (between batches). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.tick;
  }

  /**
   * Archives every queue now, whether or not this agent leads, and answers how many tasks moved
   * out of the engine. Errors are thrown. For tests and benchmarks; the timer does the same per
   * queue, logging errors instead.
   */
  async archiveOnce(): Promise<number> {
    let moved = 0;
    for (const queue of await this.engine.listQueues()) moved += await this.archiveQueue(queue, () => !this.closed);
    return moved;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.tick = this.runTick()
        .catch((error: unknown) => this.log.error({ err: error }, 'archiver tick failed; retrying next tick'))
        .finally(() => {
          this.tick = undefined;
          this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    const leading = () => !this.closed && this.isLeader();
    if (!leading()) return;
    for (const queue of await this.engine.listQueues()) {
      if (!leading()) return;
      try {
        const moved = await this.archiveQueue(queue, leading);
        if (moved > 0) this.log.debug({ queue: queue.name, moved }, 'archived finished tasks');
      } catch (error) {
        this.log.error({ err: error, queue: queue.name }, 'archiving failed; retrying next tick');
      }
      try {
        await this.pruneWhenDue(queue);
      } catch (error) {
        this.log.error({ err: error, queue: queue.name }, 'pruning task history failed; retrying in a minute');
      }
    }
  }

  /** Takes, inserts and forgets batches of one queue while they come back full. */
  private async archiveQueue(queue: QueueDefinition, proceed: () => boolean): Promise<number> {
    let moved = 0;
    let forgotten = new Set<string>();
    for (;;) {
      const tasks = await this.engine.takeFinished(queue.name, this.batchSize);
      if (tasks.some((task) => forgotten.has(task.id))) {
        // Looping on would archive the same batch forever.
        throw new Error(`engine handed back finished tasks of queue ${queue.name} that it was told to forget`);
      }
      if (tasks.length === 0) return moved;
      await insertHistory(this.pool, tasks, queue.retention.payload);
      const ids = tasks.map((task) => task.id);
      await this.engine.forgetFinished(queue.name, ids);
      this.announce(queue.name, tasks);
      moved += tasks.length;
      forgotten = new Set(ids);
      if (tasks.length < this.batchSize || !proceed()) return moved;
    }
  }

  /** Adds a listener called like `onArchived`, after it; answers the function that removes it. */
  addArchivedListener(listener: NonNullable<ArchiverOptions['onArchived']>): () => void {
    this.archivedListeners.add(listener);
    return () => void this.archivedListeners.delete(listener);
  }

  private announce(queue: string, tasks: readonly Task[]): void {
    for (const listener of [this.onArchived, ...this.archivedListeners]) {
      try {
        listener?.(queue, tasks);
      } catch (error) {
        this.log.error({ err: error, queue }, 'onArchived listener failed');
      }
    }
  }

  private async pruneWhenDue(queue: QueueDefinition): Promise<void> {
    const now = Date.now();
    const last = this.prunedAt.get(queue.name);
    if (last !== undefined && now - last < this.pruneIntervalMs) return;
    // Marked before the attempt, so a failing prune also waits its interval.
    this.prunedAt.set(queue.name, now);
    const deleted = await pruneHistory(this.pool, queue.name, queue.retention);
    if (deleted > 0) this.log.info({ queue: queue.name, deleted }, 'pruned task history');
  }
}
