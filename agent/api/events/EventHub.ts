import type { Logger } from 'pino';
import type { EventKind } from '../../../shared/api/events.js';
import type { Engine } from '../../engine/Engine.js';
import type { WorkerRegistry } from '../../worker/WorkerRegistry.js';
import type { RunStore } from '../../workflows/RunStore.js';
import { AuditSource } from './AuditSource.js';
import type { EventBus } from './EventBus.js';
import type { EventSource } from './EventSource.js';
import { QueueStatsSource } from './QueueStatsSource.js';
import { RunSource } from './RunSource.js';
import type { Subscription } from './Subscription.js';
import { TaskFilterSource } from './TaskFilterSource.js';
import { TaskSource } from './TaskSource.js';
import { TickSnapshot } from './TickSnapshot.js';
import { WorkerSource } from './WorkerSource.js';

export interface EventHubOptions {
  engine: Engine;
  workers: WorkerRegistry;
  bus: EventBus;
  /** Workflow runs, for `run` subscriptions. The agent always passes it; without it (tests of the other sources) they are refused. */
  runs?: RunStore;
  log: Pick<Logger, 'warn'>;
  /** Period of the shared tick, in milliseconds. Default 1 000. */
  tickMs?: number;
  /** Longest time a `workers` subscriber goes without the list, in milliseconds. Default 10 000. */
  workersRefreshMs?: number;
}

/**
 * The agent's one event hub: every socket's subscriptions, by topic kind, and the one ticker
 * that feeds the polled sources. The ticker runs only while a polled subscription exists: it
 * starts at once with the first (so its first event comes without waiting a second), ticks one
 * tick at a time (the next is scheduled when the last ends, so a slow Redis never piles ticks up),
 * and stops when the last polled subscription leaves. Each tick reads the engine through one
 * `TickSnapshot`, so its cost depends on the queues and tasks watched, not on the sockets.
 */
export class EventHub {
  readonly #sources: { [K in EventKind]: EventSource<K> };
  readonly #log: EventHubOptions['log'];
  readonly #tickMs: number;
  readonly #engine: Engine;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #closed = false;
  readonly #failing = new Set<string>();

  constructor({ engine, workers, bus, runs, log, tickMs = 1_000, workersRefreshMs = 10_000 }: EventHubOptions) {
    this.#engine = engine;
    this.#log = log;
    this.#tickMs = tickMs;
    this.#sources = {
      queueStats: new QueueStatsSource(engine),
      task: new TaskSource(engine, bus),
      tasks: new TaskFilterSource(engine, bus),
      workers: new WorkerSource(workers, engine, workersRefreshMs),
      audit: new AuditSource(bus),
      run: new RunSource(runs),
    };
  }

  /** Starts a subscription; throws `SubscriptionRefused` (or the failure of Redis or PostgreSQL). */
  async add(subscription: Subscription): Promise<void> {
    if (this.#closed) throw new Error('the event hub is closed');
    await this.#sourceOf(subscription).add(subscription);
    this.#wake();
  }

  remove(subscription: Subscription): void {
    this.#sourceOf(subscription).remove(subscription);
    if (!this.#ticking() && this.#tick === undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Whether the shared ticker is running (for tests: it stops with the last polled subscription). */
  get running(): boolean {
    return this.#timer !== undefined || this.#tick !== undefined;
  }

  /** Stops the ticker and waits for a tick in progress. Sockets are closed by the server. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#tick;
  }

  #sourceOf(subscription: Subscription): EventSource<EventKind> {
    return this.#sources[subscription.topic.kind] as unknown as EventSource<EventKind>;
  }

  #ticking(): boolean {
    return Object.values(this.#sources).some((source) => source.ticking);
  }

  #wake(): void {
    if (this.#closed || this.running || !this.#ticking()) return;
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const snapshot = new TickSnapshot(this.#engine);
      const ticking = Object.entries(this.#sources).filter(([, source]) => source.ticking);
      this.#tick = Promise.all(
        ticking.map(([kind, source]) =>
          source.tick(snapshot).then(
            () => this.#failing.delete(kind),
            (error: unknown) => {
              // Once per outage, not once a second.
              if (!this.#failing.has(kind)) this.#log.warn({ err: error, kind }, 'event source tick failed; trying again each tick');
              this.#failing.add(kind);
            },
          ),
        ),
      )
        .then(() => undefined)
        .finally(() => {
          this.#tick = undefined;
          if (!this.#closed && this.#ticking()) this.#schedule(this.#tickMs);
        });
    }, delayMs);
  }
}
