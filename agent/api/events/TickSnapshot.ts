import type { QueueDefinition } from '../../../shared/queue.js';
import type { StateCounts } from '../../../shared/task.js';
import { taskErrorCodes } from '../../../shared/taskErrors.js';
import type { Engine } from '../../engine/Engine.js';
import { EngineError } from '../../engine/EngineError.js';

/**
 * What one tick of the event hub read from the engine, each read made at most once however many
 * sources and sockets ask: so a second of queue statistics costs the same for one socket or a
 * thousand. A queue deleted meanwhile reads as undefined.
 */
export class TickSnapshot {
  readonly at = Date.now();
  #queues: Promise<QueueDefinition[]> | undefined;
  readonly #counts = new Map<string, Promise<StateCounts | undefined>>();
  readonly #paused = new Map<string, Promise<boolean | undefined>>();

  constructor(private readonly engine: Engine) {}

  queues(): Promise<QueueDefinition[]> {
    this.#queues ??= this.engine.listQueues();
    return this.#queues;
  }

  counts(queue: string): Promise<StateCounts | undefined> {
    return once(this.#counts, queue, () => this.engine.counts(queue).catch(undefinedIfUnknown));
  }

  paused(queue: string): Promise<boolean | undefined> {
    return once(this.#paused, queue, () => this.engine.isPaused(queue).catch(undefinedIfUnknown));
  }
}

function once<T>(memo: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = memo.get(key);
  if (!value) {
    value = read();
    memo.set(key, value);
  }
  return value;
}

function undefinedIfUnknown(error: unknown): undefined {
  if (error instanceof EngineError && error.code === taskErrorCodes.unknownQueue) return undefined;
  throw error;
}
