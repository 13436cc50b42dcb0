import type { Cluster, Redis } from 'ioredis';

export interface ApiKeyRateLimiterOptions {
  redis: Redis | Cluster;
  prefix: string;
  /** Requests one key may make per second, over every agent of the cluster; 0 for no limit. */
  perSecond: number;
}

/**
 * A limit on the requests of each API key, shared by every agent of a cluster: a counter per key
 * per second in Redis (`<prefix>:{ratelimit}:key:<id>:<second>`, gone after two seconds). A fixed
 * window lets a key make up to twice its rate across a second's boundary; that is the price of
 * one round trip per request, and the limit is there to stop a runaway script, not to meter.
 */
export class ApiKeyRateLimiter {
  constructor(private readonly options: ApiKeyRateLimiterOptions) {}

  /** Counts one request of the key; answers how long to wait when it is over its limit. */
  async take(keyId: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    const { redis, prefix, perSecond } = this.options;
    if (perSecond === 0) return { allowed: true };
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const replies = await redis.multi().incr(`${prefix}:{ratelimit}:key:${keyId}:${second}`).pexpire(`${prefix}:{ratelimit}:key:${keyId}:${second}`, 2_000).exec();
    const [error, count] = replies?.[0] ?? [new Error('rate limit transaction aborted'), 0];
    if (error) throw error;
    return (count as number) <= perSecond ? { allowed: true } : { allowed: false, retryAfterMs: (second + 1) * 1000 - now };
  }
}
