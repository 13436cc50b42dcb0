import { z } from 'zod';
import { engineKinds, queueNamePattern } from '../../queue.js';
import { taskLimits, taskStates } from '../../task.js';

/** Queue names as they appear in paths and bodies. */
export const queueName = z.string().regex(queueNamePattern, 'must be 1 to 64 letters, digits, dots, underscores or dashes');

export const rateLimit = z.strictObject({
  max: z.int().min(1).max(1_000_000_000),
  intervalMs: z.int().min(1).max(86_400_000),
});

export const retentionPolicy = z.strictObject({
  payload: z.enum(['all', 'failed', 'none']),
  maxAgeMs: z.int().min(0),
  maxCount: z.int().min(0),
});

const backoffPolicy = z.strictObject({
  kind: z.enum(['exponential', 'fixed']),
  delayMs: z.int().min(0).max(taskLimits.maxTimeoutMs),
  maxDelayMs: z.int().min(0).max(taskLimits.maxTimeoutMs),
  jitter: z.number().min(0).max(1),
});

/** The queue's default retry policy: what its tasks get when their enqueue does not say. */
export const retryPolicy = z.strictObject({
  maxAttempts: z.int().min(1).max(taskLimits.maxAttemptsLimit),
  timeoutMs: z.int().min(1).max(taskLimits.maxTimeoutMs),
  backoff: backoffPolicy,
});

/** Part of a retry policy, over the queue's: what a task, a queue update or a workflow node may set. */
export const retryPolicyChange = z.strictObject({ ...retryPolicy.partial().shape, backoff: backoffPolicy.partial().optional() });

/** The settings of a queue an operator may change after creating it. */
const queueSettings = {
  concurrency: z.int().min(1).max(1_000_000).nullable(),
  rateLimit: rateLimit.nullable(),
  maxPayloadBytes: z.int().min(1).max(512 * 1024 * 1024),
  deduplicationWindowMs: z.int().min(1).max(365 * 86_400_000),
};

/** `POST /queues`: only the name is required; every other setting has a default. */
export const createQueueRequest = z.strictObject({
  name: queueName,
  engine: z.enum(engineKinds).optional(),
  ...z.object(queueSettings).partial().shape,
  retention: retentionPolicy.partial().optional(),
  retry: retryPolicyChange.optional(),
});
export type CreateQueueRequest = z.infer<typeof createQueueRequest>;

/** `PATCH /queues/:name`: the settings to change; the engine is fixed at creation. */
export const updateQueueRequest = z.strictObject({
  ...z.object(queueSettings).partial().shape,
  retention: retentionPolicy.partial().optional(),
  retry: retryPolicyChange.optional(),
});
export type UpdateQueueRequest = z.infer<typeof updateQueueRequest>;

export const queueDefinitionSchema = z.object({
  name: z.string(),
  engine: z.enum(engineKinds),
  ...queueSettings,
  retention: retentionPolicy,
  retry: retryPolicy,
});

export const stateCounts = z.object(Object.fromEntries(taskStates.map((state) => [state, z.int()])) as Record<(typeof taskStates)[number], z.ZodInt>);

/** A queue as the console lists it: its definition, whether it is paused, and live counts. */
export const queueSummary = z.object({
  definition: queueDefinitionSchema,
  paused: z.boolean(),
  counts: stateCounts,
});
export type QueueSummary = z.infer<typeof queueSummary>;

export const queueParams = z.strictObject({ name: queueName });

export const deleteQueueQuery = z.strictObject({
  /** Delete even while tasks are active (their workers' acknowledgements will be refused). */
  force: z.enum(['true', 'false']).optional(),
});
