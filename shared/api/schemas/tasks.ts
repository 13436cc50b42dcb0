import { z } from 'zod';
import { highestPriority, lowestPriority, taskLimits, taskStates, traceParentPattern } from '../../task.js';
import { queueName } from './queues.js';

const backoffPolicy = z.strictObject({
  kind: z.enum(['exponential', 'fixed']),
  delayMs: z.int().min(0).max(taskLimits.maxTimeoutMs),
  maxDelayMs: z.int().min(0).max(taskLimits.maxTimeoutMs),
  jitter: z.number().min(0).max(1),
});

/** One task to enqueue: the same fields as `TaskInput` (shared/task.ts), with the same bounds. */
export const taskInput = z
  .strictObject({
    type: z.string().min(1).max(taskLimits.maxTypeLength),
    payload: z.unknown().optional(),
    priority: z.int().min(lowestPriority).max(highestPriority).optional(),
    runAt: z.int().min(0).optional(),
    delayMs: z.int().min(0).max(taskLimits.maxDelayMs).optional(),
    maxAttempts: z.int().min(1).max(taskLimits.maxAttemptsLimit).optional(),
    timeoutMs: z.int().min(1).max(taskLimits.maxTimeoutMs).optional(),
    backoff: backoffPolicy.partial().optional(),
    idempotencyKey: z.string().min(1).max(taskLimits.maxKeyLength).optional(),
    traceParent: z.string().regex(traceParentPattern, 'must be a W3C traceparent').optional(),
  })
  .refine((task) => task.runAt === undefined || task.delayMs === undefined, { message: 'cannot be given together with delayMs', path: ['runAt'] });

export const enqueued = z.object({
  id: z.string(),
  /** True when an earlier task with the same idempotency key was returned instead. */
  deduplicated: z.boolean(),
});

/** Most tasks one bulk request may carry. */
export const maxBulkTasks = 10_000;

export const enqueueBulkRequest = z.strictObject({ tasks: z.array(taskInput).min(1).max(maxBulkTasks) });
export const enqueueBulkResponse = z.object({ tasks: z.array(enqueued) });

const taskError = z.object({ message: z.string(), stack: z.string().optional(), code: z.string().optional() });

const attemptRecord = z.object({
  attempt: z.int(),
  workerId: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  outcome: z.enum(['succeeded', 'failed', 'lease-expired', 'released', 'cancelled']),
  error: taskError.nullable(),
  /** Lines the handler wrote with `log()` during the attempt. */
  logs: z.array(z.string()).optional(),
});

/** A task as `GET` answers it; mirrors `Task` in shared/task.ts. */
export const taskSchema = z.object({
  id: z.string(),
  queue: z.string(),
  type: z.string(),
  payload: z.unknown(),
  state: z.enum(taskStates),
  priority: z.int(),
  runAt: z.number(),
  attempts: z.int(),
  maxAttempts: z.int(),
  timeoutMs: z.int(),
  backoff: backoffPolicy,
  idempotencyKey: z.string().nullable(),
  traceParent: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  result: z.unknown(),
  error: taskError.nullable(),
  history: z.array(attemptRecord),
});

/** Task ids are UUIDs (version 7, time-ordered). */
export const taskParams = z.strictObject({ name: queueName, id: z.uuid() });

/** The answer of an action on one task: whether it applied. */
export const taskActionResponse = z.object({ id: z.string(), applied: z.boolean() });
