import { queueDefinition, type QueueDefinition } from '../../../shared/queue.js';
import type { AttemptRecord, BackoffPolicy, Task, TaskError, TaskState } from '../../../shared/task.js';
import { defaultBackoff } from '../../../shared/task.js';

/** A row of `engine_queues` as the engine reads it. */
export interface QueueRow {
  definition: Partial<QueueDefinition>;
  paused: boolean;
}

/** Through `queueDefinition()`: a definition stored before a setting existed reads with its default. */
export function queueDefinitionOf(row: QueueRow): QueueDefinition {
  return queueDefinition(row.definition as QueueDefinition);
}

export const selectQueue = `select definition, paused from engine_queues where name = $1`;

/** A row of `engine_tasks`; bigint columns (times) arrive as text. */
export interface TaskRow {
  id: string;
  queue: string;
  type: string;
  payload: unknown;
  state: TaskState;
  priority: number;
  run_at: string;
  attempts: number;
  max_attempts: number;
  timeout_ms: number;
  backoff: BackoffPolicy | null;
  idempotency_key: string | null;
  trace_parent: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  worker_id: string | null;
  result: unknown;
  error: TaskError | null;
  history: AttemptRecord[];
  logs: string[] | null;
}

export const taskColumns = `id, queue, type, payload, state, priority, run_at, attempts, max_attempts, timeout_ms, backoff,
  idempotency_key, trace_parent, created_at, started_at, finished_at, worker_id, result, error, history, logs`;

function timeOrNull(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** A task in the contract's shape. The success is kept as columns and added to history here. */
export function taskOf(row: TaskRow): Task {
  const history = row.history;
  if (row.state === 'succeeded') {
    const success: AttemptRecord = {
      attempt: row.attempts,
      workerId: row.worker_id ?? '',
      startedAt: Number(row.started_at),
      finishedAt: timeOrNull(row.finished_at),
      outcome: 'succeeded',
      error: null,
    };
    if (row.logs) success.logs = row.logs;
    history.push(success);
  }
  return {
    id: row.id,
    queue: row.queue,
    type: row.type,
    payload: row.payload,
    state: row.state,
    priority: row.priority,
    runAt: Number(row.run_at),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    timeoutMs: row.timeout_ms,
    backoff: row.backoff ?? defaultBackoff,
    idempotencyKey: row.idempotency_key,
    traceParent: row.trace_parent,
    createdAt: Number(row.created_at),
    startedAt: timeOrNull(row.started_at),
    finishedAt: timeOrNull(row.finished_at),
    result: row.result ?? null,
    error: row.error,
    history,
  };
}
