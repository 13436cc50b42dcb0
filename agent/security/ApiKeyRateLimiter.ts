export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A limit on the requests of each API key: at most `perSecond` in each whole second of the clock
 * (a fixed window), 0 for no limit. A fixed window lets a key make up to twice its rate across a
 * second's boundary; that is the price of one counter per request, and the limit is there to
 * stop a runaway script, not to meter. Kept in Redis when the agent has it, so the limit holds
 * over every agent of the cluster (`RedisApiKeyRateLimiter`); in memory in a lone agent without
 * Redis (`InMemoryApiKeyRateLimiter`).
 */
export interface ApiKeyRateLimiter {
  /** Counts one request of the key; answers how long to wait when it is over its limit. */
  take(keyId: string): Promise<RateVerdict>;
}

/** The verdict for the `count`-th request of a key in the second `second`, at `now` (ms). */
export function rateVerdict(count: number, perSecond: number, second: number, now: number): RateVerdict {
  return count <= perSecond ? { allowed: true } : { allowed: false, retryAfterMs: (second + 1) * 1000 - now };
}
