import pg from 'pg';
import type { Logger } from 'pino';
import { decodeFinished, tellListeners, type FinishedListener, type FinishedTask } from '../finishedTasks.js';

/** The one channel every Postgres engine listens on; the payload is the queue's name. */
export const wakeChannel = 'switchyard_wake';

/** The channel finished announced tasks go out on (see ../finishedTasks.ts); the payload is an announcement. */
export const finishedChannel = 'switchyard_finished';

/** While the LISTEN connection is down (or cannot exist), subscribers are called this often by default. */
export const fallbackPollMs = 1_000;

const reconnectMs = { first: 500, most: 15_000 };

/**
 * Wake-ups for one engine: one dedicated LISTEN connection (outside the pool it was given, so it
 * never takes a pool slot), opened on the first `subscribe` or `onFinished`, dispatching
 * `switchyard_wake` notifications to the listeners of the queue they name and
 * `switchyard_finished` announcements to every finished listener.
 *
 * Fallbacks: when the connection is lost it is reopened with backoff, and until it is back every
 * subscriber is called every `fallbackPollMs` (and once more on reconnect, for notifications
 * missed meanwhile). On embedded PGlite there is no second session to listen on (every client
 * of the socket server shares one backend), so there it never connects: the engine wakes its
 * own subscribers directly (`wakeLocal`) and the poll covers changes made by other clients.
 */
export class WakeUps {
  readonly #pool: pg.Pool;
  readonly #log: Logger | undefined;
  readonly #embedded: () => Promise<boolean>;
  readonly #fallbackPollMs: number;
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #finishedListeners = new Set<FinishedListener>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #listening = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectDelay = reconnectMs.first;
  #closed = false;

  constructor(pool: pg.Pool, log: Logger | undefined, embedded: () => Promise<boolean>, pollMs = fallbackPollMs) {
    this.#pool = pool;
    this.#log = log;
    this.#embedded = embedded;
    this.#fallbackPollMs = pollMs;
  }

  /** True while notifications from other sessions reach this engine. */
  get listening(): boolean {
    return this.#listening;
  }

  async subscribe(queue: string, listener: () => void): Promise<() => Promise<void>> {
    let listeners = this.#listeners.get(queue);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(queue, listeners);
    }
    listeners.add(listener);
    this.#connecting ??= this.#connect();
    await this.#connecting;
    this.#updatePolling();
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(queue) === listeners) this.#listeners.delete(queue);
      this.#updatePolling();
    };
  }

  async onFinished(listener: FinishedListener): Promise<() => Promise<void>> {
    this.#finishedListeners.add(listener);
    this.#connecting ??= this.#connect();
    await this.#connecting;
    return async () => void this.#finishedListeners.delete(listener);
  }

  /** Calls the finished listeners of this process. */
  finishedLocal(tasks: readonly FinishedTask[]): void {
    tellListeners(this.#finishedListeners, tasks);
  }

  /** Calls the subscribers of `queue` in this process. */
  wakeLocal(queue: string): void {
    for (const listener of this.#listeners.get(queue) ?? []) listener();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#finishedListeners.clear();
    clearInterval(this.#pollTimer);
    clearTimeout(this.#reconnectTimer);
    this.#pollTimer = undefined;
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    this.#listening = false;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    if (await this.#embedded().catch(() => false)) return;
    const client = new pg.Client(this.#pool.options);
    client.on('notification', (message) => {
      if (message.channel === wakeChannel && message.payload) this.wakeLocal(message.payload);
      else if (message.channel === finishedChannel && message.payload) this.finishedLocal(decodeFinished(message.payload));
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the LISTEN connection ended')));
    try {
      await client.connect();
      await client.query(`listen ${finishedChannel}`);
      await client.query(`listen ${wakeChannel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.#lost(client, error as Error);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#listening = true;
    this.#reconnectDelay = reconnectMs.first;
    this.#updatePolling();
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#closed || (this.#client !== undefined && this.#client !== client)) return;
    if (this.#client === client || !this.#reconnectTimer) {
      this.#log?.warn({ err: error, retryInMs: this.#reconnectDelay }, 'Postgres engine LISTEN connection unavailable; polling until it is back');
    }
    this.#client = undefined;
    this.#listening = false;
    this.#updatePolling();
    if (this.#reconnectTimer) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connecting = this.#connect().then(() => {
        // Anything enqueued while we were deaf: let every subscriber look once.
        if (this.#listening) for (const queue of this.#listeners.keys()) this.wakeLocal(queue);
      });
    }, this.#reconnectDelay);
    this.#reconnectDelay = Math.min(this.#reconnectDelay * 2, reconnectMs.most);
  }

  /** Polls only while some subscriber exists and notifications do not arrive. */
  #updatePolling(): void {
    const wanted = !this.#closed && !this.#listening && this.#listeners.size > 0;
    if (wanted && !this.#pollTimer) {
      this.#pollTimer = setInterval(() => {
        for (const queue of this.#listeners.keys()) this.wakeLocal(queue);
      }, this.#fallbackPollMs);
      this.#pollTimer.unref();
    } else if (!wanted && this.#pollTimer) {
      clearInterval(this.#pollTimer);
      this.#pollTimer = undefined;
    }
  }
}
