import type { Logger } from 'pino';
import type { Task } from '../../../shared/task.js';
import type { AuditEntry } from '../../security/AuditLog.js';
import type { BusChannel, BusMessages, EventBus } from './EventBus.js';
import { summariseTask } from './summariseTask.js';

/**
 * The event bus of a lone agent without Redis: the cluster is this one process, so a message
 * goes straight to this agent's listeners. It keeps the promises of `RedisEventBus`: delivery is
 * asynchronous (a publisher never runs, or waits for, a listener), each listener gets a JSON copy
 * of the message, and a listener that throws is logged and does not stop the others.
 */
export class InProcessEventBus implements EventBus {
  readonly #log: Pick<Logger, 'warn'>;
  readonly #listeners: { [C in BusChannel]: Set<(message: BusMessages[C]) => void> } = { audit: new Set(), archived: new Set() };
  #closed = false;

  constructor({ log }: { log: Pick<Logger, 'warn'> }) {
    this.#log = log;
  }

  publishAudit(entry: AuditEntry): void {
    this.#publish('audit', entry);
  }

  publishArchived(queue: string, tasks: readonly Task[]): void {
    if (tasks.length > 0) this.#publish('archived', { queue, tasks: tasks.map(summariseTask) });
  }

  async listen<C extends BusChannel>(channel: C, listener: (message: BusMessages[C]) => void): Promise<() => void> {
    if (this.#closed) throw new Error(`could not listen to the ${channel} events: the event bus is closed`);
    const listeners = this.#listeners[channel] as Set<(message: BusMessages[C]) => void>;
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const listeners of Object.values(this.#listeners)) listeners.clear();
  }

  #publish<C extends BusChannel>(channel: C, message: BusMessages[C]): void {
    if (this.#closed || this.#listeners[channel].size === 0) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      this.#log.warn({ err: error, channel }, 'could not publish an event');
      return;
    }
    setImmediate(() => {
      for (const listener of this.#listeners[channel] as Set<(message: unknown) => void>) {
        try {
          listener(JSON.parse(text));
        } catch (error) {
          this.#log.warn({ err: error, channel }, 'an event bus listener failed');
        }
      }
    });
  }
}
