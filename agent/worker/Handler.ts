/** What a handler receives for one attempt of one task. */
export interface TaskContext {
  /** The task's id: the same on every attempt. */
  readonly id: string;
  readonly queue: string;
  readonly type: string;
  /** The JSON payload given at enqueue. */
  readonly payload: unknown;
  /** This attempt's number, 1-based. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /**
   * A key that stays the same across every attempt of this task: the idempotency key given at
   * enqueue, or the task id when none was. Pass it to downstream systems so a retried attempt
   * (delivery is at-least-once) does not repeat a side effect.
   */
  readonly idempotencyKey: string;
  /**
   * Aborted when the attempt must stop: its timeout passed, its lease was lost (the task was
   * cancelled or taken over), or the worker is shutting down past its drain deadline.
   * `signal.reason` says which. Pass it to `fetch` and friends.
   */
  readonly signal: AbortSignal;
  /** W3C `traceparent` carried from the enqueue, or null. */
  readonly traceParent: string | null;
  /**
   * Writes a line to the worker's log, tagged with the task id, type and attempt, and keeps it
   * with the attempt in the task's history (the first 100 lines, 2 000 characters each), where
   * the console and `GET /queues/:name/tasks/:id` show it.
   */
  log(line: string): void;
}

/**
 * Runs one attempt of a task. The resolved value (JSON) is stored as the task's result; a throw
 * fails the attempt (retried with backoff), and a thrown `PermanentError` makes the task dead.
 */
export type Handler = (context: TaskContext) => Promise<unknown>;
