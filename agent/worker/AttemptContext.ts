import type { Logger } from 'pino';
import type { ClaimedTask } from '../engine/Engine.js';
import type { TaskContext } from './Handler.js';

/** The context of one attempt; `log` is bound so handlers may destructure it. */
export class AttemptContext implements TaskContext {
  readonly id: string;
  readonly queue: string;
  readonly type: string;
  readonly payload: unknown;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly traceParent: string | null;
  readonly log: (line: string) => void;

  constructor(task: ClaimedTask, signal: AbortSignal, logger: Logger) {
    this.id = task.id;
    this.queue = task.queue;
    this.type = task.type;
    this.payload = task.payload;
    this.attempt = task.attempt;
    this.maxAttempts = task.maxAttempts;
    this.idempotencyKey = task.idempotencyKey ?? task.id;
    this.signal = signal;
    this.traceParent = task.traceParent;
    this.log = (line) => logger.info({ taskId: task.id, queue: task.queue, type: task.type, attempt: task.attempt }, line);
  }
}
