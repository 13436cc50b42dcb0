/**
 * Tasks: the contract every engine, the worker runtime, the API and the console share.
 * See GLOSSARY.md for the words.
 */

/** Every state a task can be in. `failed` means "failed an attempt and waiting out its backoff". */
export const taskStates = [
  'scheduled',
  'queued',
  'active',
  'failed',
  'succeeded',
  'dead',
  'cancelled',
] as const;
export type TaskState = (typeof taskStates)[number];

/** States a task never leaves (until it is requeued by a person). */
export const finishedStates = ['succeeded', 'dead', 'cancelled'] as const satisfies readonly TaskState[];
export type FinishedState = (typeof finishedStates)[number];

/** Priorities run from 0 (lowest) to 9 (highest); 5 is the default. Higher runs first. */
export const lowestPriority = 0;
export const highestPriority = 9;
export const defaultPriority = 5;

/** How long to wait before the next attempt after a failure. */
export interface BackoffPolicy {
  /** `exponential` doubles the delay each attempt; `fixed` keeps it. Default: exponential. */
  kind: 'exponential' | 'fixed';
  /** Delay before the first retry, in milliseconds. Default: 1000. */
  delayMs: number;
  /** Upper bound of any delay, in milliseconds. Default: one hour. */
  maxDelayMs: number;
  /** Share of the delay drawn at random (0 = none, 1 = "full jitter"). Default: 0.5. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = {
  kind: 'exponential',
  delayMs: 1_000,
  maxDelayMs: 3_600_000,
  jitter: 0.5,
};

/** What a caller gives to enqueue a task. Only `type` is required. */
export interface TaskInput {
  /** Which handler runs the task, e.g. `http.request`. */
  type: string;
  /** Any JSON value; its serialised size is limited by the queue (default 1 MiB). */
  payload?: unknown;
  /** 0–9, higher first. Default 5. */
  priority?: number;
  /** Run no earlier than this (epoch milliseconds). Exclusive with `delayMs`. */
  runAt?: number;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Attempts allowed before the task is dead. Default 3. */
  maxAttempts?: number;
  /** Milliseconds one attempt may take before it is aborted. Default 30 000. */
  timeoutMs?: number;
  /** Retry policy; missing fields take the defaults above. */
  backoff?: Partial<BackoffPolicy>;
  /** Deduplicates enqueues with the same key within the queue's window. */
  idempotencyKey?: string;
  /** W3C trace context (`traceparent`) carried from the caller to the handler. */
  traceParent?: string;
}

export const defaultMaxAttempts = 3;
export const defaultTimeoutMs = 30_000;

/** Bounds every engine and the API check a task against. */
export const taskLimits = {
  /** Characters in a task type. */
  maxTypeLength: 200,
  /** Characters in an idempotency key. */
  maxKeyLength: 256,
  maxAttemptsLimit: 1_000,
  /** Longest attempt timeout and backoff delay: a week. */
  maxTimeoutMs: 7 * 24 * 3_600_000,
  /** Furthest delay at enqueue: ten years. */
  maxDelayMs: 10 * 365 * 86_400_000,
} as const;

/** A W3C `traceparent` header value. */
export const traceParentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** One attempt as recorded in history. */
export interface AttemptRecord {
  attempt: number;
  workerId: string;
  startedAt: number;
  finishedAt: number | null;
  outcome: 'succeeded' | 'failed' | 'lease-expired' | 'released' | 'cancelled';
  error: TaskError | null;
  /** Lines the handler wrote with `log()` during the attempt, when it wrote any (see `attemptLogLimits`). */
  logs?: string[];
}

/** How much of what a handler logs is kept with its attempt; the rest goes to the worker's log only. */
export const attemptLogLimits = {
  lines: 100,
  /** Characters per line; a longer line is cut and marked with `…`. */
  lineLength: 2_000,
} as const;

/** An error as a handler reported it: message, optional stack, optional code. */
export interface TaskError {
  message: string;
  stack?: string;
  code?: string;
}

/** A task as an engine reports it. Times are epoch milliseconds. */
export interface Task {
  id: string;
  queue: string;
  type: string;
  payload: unknown;
  state: TaskState;
  priority: number;
  runAt: number;
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  backoff: BackoffPolicy;
  idempotencyKey: string | null;
  traceParent: string | null;
  createdAt: number;
  /** When the current or last attempt started. */
  startedAt: number | null;
  /** When the task reached a finished state. */
  finishedAt: number | null;
  result: unknown;
  /** The error of the last failed attempt. */
  error: TaskError | null;
  /** Every attempt that has ended, oldest first. */
  history: AttemptRecord[];
}

/** Per-state counts of one queue. Finished states count since the queue was created. */
export type StateCounts = Record<TaskState, number>;
