import type { QueueDefinition } from '../../shared/queue.js';
import {
  defaultBackoff,
  defaultPriority,
  defaultTimeoutMs,
  highestPriority,
  taskLimits,
  traceParentPattern,
  lowestPriority,
  type BackoffPolicy,
  type TaskInput,
} from '../../shared/task.js';
import { isUnstorable, jsonIsUnstorable } from '../../shared/storableText.js';
import { taskErrorCodes } from '../../shared/taskErrors.js';
import { EngineError } from './EngineError.js';
import { newTaskId } from './taskId.js';

/**
 * Turns what a caller gave into what an engine stores, checking every field first. Engine-neutral:
 * the Redis and Postgres engines both enqueue `PreparedTask`s.
 */
export interface PreparedTask {
  id: string;
  /** JSON of the parts engines store but never read: type, payload, timeout, backoff, key, trace. */
  spec: string;
  priority: number;
  /** Epoch ms, or 0 when the task may run at once (or after `delayMs`). */
  runAt: number;
  delayMs: number;
  maxAttempts: number;
  idempotencyKey: string;
}

/** What `spec` holds, with defaults filled back in when read. */
export interface TaskSpec {
  type: string;
  payload: unknown;
  timeoutMs: number;
  backoff: BackoffPolicy;
  idempotencyKey: string | null;
  traceParent: string | null;
}

const { maxTypeLength, maxKeyLength, maxAttemptsLimit, maxTimeoutMs, maxDelayMs } = taskLimits;

function invalid(field: string, message: string): EngineError {
  return new EngineError(taskErrorCodes.invalidInput, `${field} ${message}`, field);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerIn(value: unknown, field: string, low: number, high: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw invalid(field, `must be a whole number from ${low} to ${high} (got ${JSON.stringify(value) ?? String(value)})`);
  }
  return value;
}

function optionalString(value: unknown, field: string, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw invalid(field, `must be a string of 1 to ${maxLength} characters`);
  }
  if (isUnstorable(value)) throw invalid(field, unstorable);
  return value;
}

const unstorable = 'holds a NUL character (U+0000) or half a surrogate pair, which history in PostgreSQL cannot store';

function serialisePayload(payload: unknown, field: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload === undefined ? null : payload);
  } catch (error) {
    throw invalid(field, `is not valid JSON: ${(error as Error).message}`);
  }
  if (json === undefined) throw invalid(field, 'is not valid JSON');
  if (jsonIsUnstorable(json)) throw invalid(field, unstorable);
  return json;
}

/** The task's backoff over the queue's, or null when it is the default every engine assumes. */
function prepareBackoff(given: unknown, field: string, queueDefault: BackoffPolicy): BackoffPolicy | null {
  if (given === undefined) return queueDefault === defaultBackoff || sameBackoff(queueDefault, defaultBackoff) ? null : queueDefault;
  if (!isObject(given)) throw invalid(field, 'must be an object');
  const backoff = { ...queueDefault, ...given } as BackoffPolicy;
  if (backoff.kind !== 'exponential' && backoff.kind !== 'fixed') {
    throw invalid(`${field}.kind`, "must be 'exponential' or 'fixed'");
  }
  integerIn(backoff.delayMs, `${field}.delayMs`, 0, maxTimeoutMs);
  integerIn(backoff.maxDelayMs, `${field}.maxDelayMs`, 0, maxTimeoutMs);
  if (typeof backoff.jitter !== 'number' || !(backoff.jitter >= 0 && backoff.jitter <= 1)) {
    throw invalid(`${field}.jitter`, 'must be a number from 0 to 1');
  }
  return { kind: backoff.kind, delayMs: backoff.delayMs, maxDelayMs: backoff.maxDelayMs, jitter: backoff.jitter };
}

function sameBackoff(a: BackoffPolicy, b: BackoffPolicy): boolean {
  return a.kind === b.kind && a.delayMs === b.delayMs && a.maxDelayMs === b.maxDelayMs && a.jitter === b.jitter;
}

/**
 * Checks one task; `field` is its path in the request (`task` or `tasks[3]`). What the task does
 * not set comes from the queue's retry policy.
 */
export function prepareTask(queue: QueueDefinition, input: TaskInput, field: string): PreparedTask {
  if (!isObject(input)) throw invalid(field, 'must be an object');
  if (typeof input.type !== 'string' || input.type.length === 0 || input.type.length > maxTypeLength) {
    throw invalid(`${field}.type`, `must be a string of 1 to ${maxTypeLength} characters`);
  }
  if (isUnstorable(input.type)) throw invalid(`${field}.type`, unstorable);
  const priority =
    input.priority === undefined ? defaultPriority : integerIn(input.priority, `${field}.priority`, lowestPriority, highestPriority);
  if (input.runAt !== undefined && input.delayMs !== undefined) {
    throw invalid(`${field}.runAt`, 'cannot be given together with delayMs');
  }
  const runAt = input.runAt === undefined ? 0 : integerIn(input.runAt, `${field}.runAt`, 0, 8.64e15);
  const delayMs = input.delayMs === undefined ? 0 : integerIn(input.delayMs, `${field}.delayMs`, 0, maxDelayMs);
  const maxAttempts =
    input.maxAttempts === undefined ? queue.retry.maxAttempts : integerIn(input.maxAttempts, `${field}.maxAttempts`, 1, maxAttemptsLimit);
  const timeoutMs = input.timeoutMs === undefined ? queue.retry.timeoutMs : integerIn(input.timeoutMs, `${field}.timeoutMs`, 1, maxTimeoutMs);
  const backoff = prepareBackoff(input.backoff, `${field}.backoff`, queue.retry.backoff);
  const idempotencyKey = optionalString(input.idempotencyKey, `${field}.idempotencyKey`, maxKeyLength);
  const traceParent = optionalString(input.traceParent, `${field}.traceParent`, 55);
  if (traceParent !== null && !traceParentPattern.test(traceParent)) {
    throw invalid(`${field}.traceParent`, 'must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)');
  }
  const payload = serialisePayload(input.payload, `${field}.payload`);
  if (Buffer.byteLength(payload) > queue.maxPayloadBytes) {
    throw new EngineError(
      taskErrorCodes.payloadTooLarge,
      `${field}.payload is ${Buffer.byteLength(payload)} bytes, over the queue's limit of ${queue.maxPayloadBytes}`,
      `${field}.payload`,
    );
  }
  let spec = `{"type":${JSON.stringify(input.type)},"payload":${payload}`;
  if (timeoutMs !== defaultTimeoutMs) spec += `,"timeoutMs":${timeoutMs}`;
  if (backoff) spec += `,"backoff":${JSON.stringify(backoff)}`;
  if (idempotencyKey !== null) spec += `,"idempotencyKey":${JSON.stringify(idempotencyKey)}`;
  if (traceParent !== null) spec += `,"traceParent":${JSON.stringify(traceParent)}`;
  spec += '}';
  return { id: newTaskId(), spec, priority, runAt, delayMs, maxAttempts, idempotencyKey: idempotencyKey ?? '' };
}

export function prepareTasks(queue: QueueDefinition, inputs: readonly TaskInput[]): PreparedTask[] {
  if (!Array.isArray(inputs)) throw invalid('tasks', 'must be an array');
  return inputs.map((input, index) => prepareTask(queue, input, `tasks[${index}]`));
}

export function parseSpec(spec: string): TaskSpec {
  const stored = JSON.parse(spec) as Partial<TaskSpec> & { type: string };
  return {
    type: stored.type,
    payload: stored.payload ?? null,
    timeoutMs: stored.timeoutMs ?? defaultTimeoutMs,
    backoff: stored.backoff ?? defaultBackoff,
    idempotencyKey: stored.idempotencyKey ?? null,
    traceParent: stored.traceParent ?? null,
  };
}
