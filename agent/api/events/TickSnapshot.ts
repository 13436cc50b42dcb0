import type { QueueDefinition } from '../../../shared/queue.js';
import type { StateCounts, Task } from '../../../shared/task.js';
import { taskErrorCodes } from '../../../shared/taskErrors.js';
import type { Engine } from '../../engine/Engine.js';
import { EngineError } from '../../engine/EngineError.js';

/** Most tasks of one queue a tick reads to find state changes (a `tasks` filter subscription). */
export const tasksPerTick = 5_000;

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
  readonly #tasks = new Map<string, Promise<{ tasks: Task[]; complete: boolean } | undefined>>();

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

  /** Up to `tasksPerTick` of the tasks the engine holds for the queue, and whether that was all of them. */
  tasks(queue: string): Promise<{ tasks: Task[]; complete: boolean } | undefined> {
    return once(this.#tasks, queue, async () => {
      const tasks: Task[] = [];
      let cursor: string | null = null;
      do {
        const page: { tasks: Task[]; cursor: string | null } = await this.engine.scanTasks(queue, { cursor, count: 1_000 });
        tasks.push(...page.tasks);
        cursor = page.cursor;
      } while (cursor !== null && tasks.length < tasksPerTick);
      return { tasks, complete: cursor === null };
    }).catch(undefinedIfUnknown);
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
