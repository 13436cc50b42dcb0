import type { Logger } from 'pino';
import type { ClaimedTask } from '../engine/Engine.js';
import { attemptLogLimits } from '../../shared/task.js';
import type { TaskContext } from './Handler.js';

/**
 * The context of one attempt. `signal` and `log` are made the first time a handler reads them
 * (most handlers never do, and an AbortSignal costs more than a no-op task); both are bound, so
 * handlers may destructure them.
 */
export class AttemptContext implements TaskContext {
  readonly id: string;
  readonly queue: string;
  readonly type: string;
  readonly payload: unknown;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly idempotencyKey: string;
  readonly traceParent: string | null;
  readonly #task: ClaimedTask;
  readonly #signal: () => AbortSignal;
  readonly #logger: Logger;
  #log: ((line: string) => void) | undefined;

  constructor(task: ClaimedTask, signal: () => AbortSignal, logger: Logger) {
    this.id = task.id;
    this.queue = task.queue;
    this.type = task.type;
    this.payload = task.payload;
    this.attempt = task.attempt;
    this.maxAttempts = task.maxAttempts;
    this.idempotencyKey = task.idempotencyKey ?? task.id;
    this.traceParent = task.traceParent;
    this.#task = task;
    this.#signal = signal;
    this.#logger = logger;
  }

  get signal(): AbortSignal {
    return this.#signal();
  }

  /** The lines logged so far, as the attempt's history keeps them (see `attemptLogLimits`); undefined when none. */
  loggedLines: string[] | undefined;

  get log(): (line: string) => void {
    const task = this.#task;
    this.#log ??= (line) => {
      this.#logger.info({ taskId: task.id, queue: task.queue, type: task.type, attempt: task.attempt }, line);
      const kept = (this.loggedLines ??= []);
      if (kept.length < attemptLogLimits.lines) {
        const text = String(line);
        kept.push(text.length <= attemptLogLimits.lineLength ? text : `${text.slice(0, attemptLogLimits.lineLength)}…`);
      }
    };
    return this.#log;
  }
}
