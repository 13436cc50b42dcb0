/** Queue definitions: what an operator sets when creating or editing a queue. */

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
  given: Pick<QueueDefinition, 'name'> & Partial<Omit<QueueDefinition, 'retention'>> & { retention?: Partial<RetentionPolicy> },
): QueueDefinition {
  return {
    name: given.name,
    engine: given.engine ?? 'redis',
    concurrency: given.concurrency ?? null,
    rateLimit: given.rateLimit ?? null,
    maxPayloadBytes: given.maxPayloadBytes ?? defaultMaxPayloadBytes,
    deduplicationWindowMs: given.deduplicationWindowMs ?? defaultDeduplicationWindowMs,
    retention: { ...defaultRetention, ...given.retention },
  };
}
