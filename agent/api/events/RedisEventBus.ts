import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Task } from '../../../shared/task.js';
import type { AuditEntry } from '../../security/AuditLog.js';
import type { BusChannel, BusMessages, EventBus } from './EventBus.js';
import { summariseTask } from './summariseTask.js';

export interface RedisEventBusOptions {
  /** A connection for `PUBLISH` (the agent's main one). */
  publisher: Redis;
  /** A connection of its own (`redis.duplicate()`): a subscribed connection can do nothing else. The bus closes it. */
  subscriber: Redis;
  /** The agent's Redis key prefix; channels are `<prefix>:events:audit` and `<prefix>:events:archived`. */
  prefix: string;
  log: Pick<Logger, 'debug' | 'warn'>;
}

/**
 * The event bus over Redis pub/sub (see `EventBus`). Pub/sub delivers at most once: an agent
 * that is disconnected from Redis misses what was published meanwhile.
 *
 * An agent subscribes to a channel only while one of its sockets needs it (`listen`), so agents
 * nobody watches receive nothing.
 */
export class RedisEventBus implements EventBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #log: RedisEventBusOptions['log'];
  readonly #channels: Record<BusChannel, string>;
  readonly #listeners: { [C in BusChannel]: Set<(message: BusMessages[C]) => void> } = { audit: new Set(), archived: new Set() };
  readonly #subscribed = new Set<BusChannel>();
  #sync: Promise<void> = Promise.resolve();
  #closed = false;

  constructor({ publisher, subscriber, prefix, log }: RedisEventBusOptions) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#log = log;
    this.#channels = { audit: `${prefix}:events:audit`, archived: `${prefix}:events:archived` };
    subscriber.on('error', (error: unknown) => log.debug({ err: error }, 'event bus subscriber connection error'));
    subscriber.on('message', (channel: string, message: string) => this.#dispatch(channel, message));
  }

  publishAudit(entry: AuditEntry): void {
    this.#publish('audit', entry);
  }

  publishArchived(queue: string, tasks: readonly Task[]): void {
    if (tasks.length > 0) this.#publish('archived', { queue, tasks: tasks.map(summariseTask) });
  }

  /**
   * Calls `listener` with every message of `channel` from any agent, this one included. Resolves
   * once this agent's subscription to the channel is in place (rejects when Redis refused it);
   * answers the stop.
   */
  async listen<C extends BusChannel>(channel: C, listener: (message: BusMessages[C]) => void): Promise<() => void> {
    const listeners = this.#listeners[channel] as Set<(message: BusMessages[C]) => void>;
    listeners.add(listener);
    await this.#reconcile();
    if (!this.#subscribed.has(channel)) {
      listeners.delete(listener);
      void this.#reconcile();
      throw new Error(`could not subscribe to the ${channel} events of the cluster`);
    }
    return () => {
      listeners.delete(listener);
      void this.#reconcile();
    };
  }

  /** Stops listening and closes the subscriber connection. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const listeners of Object.values(this.#listeners)) listeners.clear();
    await this.#sync;
    // A lazy connection nobody subscribed on never connected: there is nothing to say goodbye to.
    if (this.#subscriber.status === 'wait') return this.#subscriber.disconnect();
    await this.#subscriber.quit().then(
      () => undefined,
      () => this.#subscriber.disconnect(),
    );
  }

  #publish<C extends BusChannel>(channel: C, message: BusMessages[C]): void {
    if (this.#closed) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      this.#log.warn({ err: error, channel }, 'could not publish an event');
      return;
    }
    this.#publisher.publish(this.#channels[channel], text).catch((error: unknown) => this.#log.warn({ err: error, channel }, 'could not publish an event'));
  }

  /** Subscribes to the channels that have listeners and leaves the others, one change at a time. */
  #reconcile(): Promise<void> {
    this.#sync = this.#sync.then(async () => {
      for (const channel of Object.keys(this.#channels) as BusChannel[]) {
        const wanted = !this.#closed && this.#listeners[channel].size > 0;
        if (wanted === this.#subscribed.has(channel)) continue;
        try {
          if (wanted) {
            await this.#subscriber.subscribe(this.#channels[channel]);
            this.#subscribed.add(channel);
          } else {
            this.#subscribed.delete(channel);
            await this.#subscriber.unsubscribe(this.#channels[channel]);
          }
        } catch (error) {
          this.#log.warn({ err: error, channel }, 'could not change the event bus subscription; retrying at the next change');
        }
      }
    });
    return this.#sync;
  }

  #dispatch(redisChannel: string, text: string): void {
    const channel = (Object.keys(this.#channels) as BusChannel[]).find((name) => this.#channels[name] === redisChannel);
    if (!channel) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#log.warn({ channel }, 'ignored an event bus message that is not JSON');
      return;
    }
    for (const listener of this.#listeners[channel] as Set<(message: unknown) => void>) {
      try {
        listener(message);
      } catch (error) {
        this.#log.warn({ err: error, channel }, 'an event bus listener failed');
      }
    }
  }
}
