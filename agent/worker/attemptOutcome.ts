import { retryDelay } from '../../shared/retryDelay.js';
import type { TaskError } from '../../shared/task.js';
import type { ClaimedTask, Outcome } from '../engine/Engine.js';
import { isPermanentError } from './PermanentError.js';

/** Longest error message and stack kept with an attempt; the rest is cut. */
const maxErrorTextLength = 8_192;

/** The outcome of an attempt whose handler resolved with `result`. */
export function succeededOutcome(task: ClaimedTask, result: unknown): Outcome {
  return result === undefined
    ? { id: task.id, token: task.token, status: 'succeeded' }
    : { id: task.id, token: task.token, status: 'succeeded', result };
}

/**
 * The outcome of an attempt that failed with `error`. A `PermanentError` is not retryable (the
 * task goes dead at once); anything else waits `retryDelay(backoff, attempt)` before the next
 * attempt, or goes dead when it was the last one (the engine decides that).
 */
export function failedOutcome(task: ClaimedTask, error: unknown): Outcome {
  return {
    id: task.id,
    token: task.token,
    status: 'failed',
    error: toTaskError(error),
    retryDelayMs: retryDelay(task.backoff, task.attempt),
    retryable: !isPermanentError(error),
  };
}

/** An error as it is recorded with the attempt: message, stack and a string `code` if it has one. */
export function toTaskError(error: unknown): TaskError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const taskError: TaskError = { message: cut(`${error.message || error.name}${cause}`) };
    if (error.stack !== undefined) taskError.stack = cut(error.stack);
    if (typeof code === 'string') taskError.code = code;
    return taskError;
  }
  return { message: cut(describe(error)) };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function cut(text: string): string {
  return text.length <= maxErrorTextLength ? text : `${text.slice(0, maxErrorTextLength)}…`;
}
