import { engineKinds, queueNamePattern, type QueueDefinition } from '../../shared/queue.js';
import { taskLimits } from '../../shared/task.js';
import { taskErrorCodes } from '../../shared/taskErrors.js';
import { EngineError } from './EngineError.js';

function invalid(field: string, message: string): EngineError {
  return new EngineError(taskErrorCodes.invalidInput, `${field} ${message}`, field);
}

function wholeNumber(value: unknown, field: string, low: number, high = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw invalid(field, `must be a whole number from ${low} to ${high}`);
  }
}

/** Throws an `EngineError` naming the first field of a queue definition that is wrong. */
export function checkQueueDefinition(definition: QueueDefinition): void {
  if (typeof definition.name !== 'string' || !queueNamePattern.test(definition.name)) {
    throw invalid('name', 'must be 1 to 64 letters, digits, dots, underscores or dashes');
  }
  if (!engineKinds.includes(definition.engine)) throw invalid('engine', `must be one of ${engineKinds.join(', ')}`);
  if (definition.concurrency !== null) wholeNumber(definition.concurrency, 'concurrency', 1, 1_000_000);
  if (definition.rateLimit !== null) {
    wholeNumber(definition.rateLimit.max, 'rateLimit.max', 1, 1_000_000_000);
    wholeNumber(definition.rateLimit.intervalMs, 'rateLimit.intervalMs', 1, 86_400_000);
  }
  wholeNumber(definition.maxPayloadBytes, 'maxPayloadBytes', 1, 512 * 1024 * 1024);
  wholeNumber(definition.deduplicationWindowMs, 'deduplicationWindowMs', 1, 365 * 86_400_000);
  const retention = definition.retention;
  if (!['all', 'failed', 'none'].includes(retention.payload)) throw invalid('retention.payload', "must be 'all', 'failed' or 'none'");
  wholeNumber(retention.maxAgeMs, 'retention.maxAgeMs', 0);
  wholeNumber(retention.maxCount, 'retention.maxCount', 0);
  const { retry } = definition;
  wholeNumber(retry.maxAttempts, 'retry.maxAttempts', 1, taskLimits.maxAttemptsLimit);
  wholeNumber(retry.timeoutMs, 'retry.timeoutMs', 1, taskLimits.maxTimeoutMs);
  if (!['exponential', 'fixed'].includes(retry.backoff.kind)) throw invalid('retry.backoff.kind', "must be 'exponential' or 'fixed'");
  wholeNumber(retry.backoff.delayMs, 'retry.backoff.delayMs', 0, taskLimits.maxTimeoutMs);
  wholeNumber(retry.backoff.maxDelayMs, 'retry.backoff.maxDelayMs', 0, taskLimits.maxTimeoutMs);
  if (typeof retry.backoff.jitter !== 'number' || !(retry.backoff.jitter >= 0 && retry.backoff.jitter <= 1)) {
    throw invalid('retry.backoff.jitter', 'must be a number from 0 to 1');
  }
}
