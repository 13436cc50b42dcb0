/** Queue definitions: what an operator sets when creating or editing a queue. */
import { defaultBackoff, defaultMaxAttempts, defaultTimeoutMs, type BackoffPolicy } from './task.js';

export const engineKinds = ['redis', 'postgres'] as const;
export type EngineKind = (typeof engineKinds)[number];

/** How much of a finished task Postgres history keeps, and for how long. */
export interface RetentionPolicy {
  /** Keep the payload of succeeded tasks (`all`), only of dead/cancelled ones (`failed`), or none. Default `all`. */
  payload: 'all' | 'failed' | 'none';
  /** History rows older than this are deleted. Default 30 days. */
  maxAgeMs: number;
  /** At most this many history rows are kept for the queue; the oldest go first. Default 1 000 000. */
  maxCount: number;
}

export interface RateLimit {
  /** At most this many tasks start… */
  max: number;
  /** …in any window of this many milliseconds. */
  intervalMs: number;
}

/** What a task of the queue gets when its enqueue does not say: attempts, timeout, backoff. */
export interface RetryPolicy {
  /** Default 3. */
  maxAttempts: number;
  /** Milliseconds one attempt may take. Default 30 000. */
  timeoutMs: number;
  /** Default: exponential from one second, up to an hour, half jitter. */
  backoff: BackoffPolicy;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: defaultMaxAttempts, timeoutMs: defaultTimeoutMs, backoff: defaultBackoff };

export interface QueueDefinition {
  /** 1–64 characters: letters, digits, `.`, `_`, `-`. */
  name: string;
  engine: EngineKind;
  /** Most tasks of this queue active at once across every worker; `null` for no cap. */
  concurrency: number | null;
  rateLimit: RateLimit | null;
  /** Largest serialised payload accepted, in bytes. Default 1 MiB. */
  maxPayloadBytes: number;
  /** How long an idempotency key deduplicates enqueues, in milliseconds. Default 24 hours. */
  deduplicationWindowMs: number;
  retention: RetentionPolicy;
  /** The default retry policy of its tasks; a task's own settings win. */
  retry: RetryPolicy;
}

export const queueNamePattern = /^[A-Za-z0-9._-]{1,64}$/;

export const defaultRetention: RetentionPolicy = {
  payload: 'all',
  maxAgeMs: 30 * 24 * 3_600_000,
  maxCount: 1_000_000,
};

export const defaultMaxPayloadBytes = 1024 * 1024;
export const defaultDeduplicationWindowMs = 24 * 3_600_000;

/** A full definition from the parts an operator gave, with every default filled in. */
export function queueDefinition(
  given: Pick<QueueDefinition, 'name'> &
    Partial<Omit<QueueDefinition, 'retention' | 'retry'>> & { retention?: Partial<RetentionPolicy>; retry?: Partial<Omit<RetryPolicy, 'backoff'>> & { backoff?: Partial<BackoffPolicy> } },
): QueueDefinition {
  return {
    name: given.name,
    engine: given.engine ?? 'redis',
    concurrency: given.concurrency ?? null,
    rateLimit: given.rateLimit ?? null,
    maxPayloadBytes: given.maxPayloadBytes ?? defaultMaxPayloadBytes,
    deduplicationWindowMs: given.deduplicationWindowMs ?? defaultDeduplicationWindowMs,
    retention: { ...defaultRetention, ...given.retention },
    retry: { ...defaultRetryPolicy, ...given.retry, backoff: { ...defaultRetryPolicy.backoff, ...given.retry?.backoff } },
  };
}
