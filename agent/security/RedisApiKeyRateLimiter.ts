import type { Cluster, Redis } from 'ioredis';
import { rateVerdict, type ApiKeyRateLimiter, type RateVerdict } from './ApiKeyRateLimiter.js';

export interface RedisApiKeyRateLimiterOptions {
  redis: Redis | Cluster;
  prefix: string;
  /** Requests one key may make per second, over every agent of the cluster; 0 for no limit. */
  perSecond: number;
}

/**
 * The API key limit shared by every agent of a cluster: a counter per key per second in Redis
 * (`<prefix>:{ratelimit}:key:<id>:<second>`, gone after two seconds). Rules in ApiKeyRateLimiter.ts.
 */
export class RedisApiKeyRateLimiter implements ApiKeyRateLimiter {
  constructor(private readonly options: RedisApiKeyRateLimiterOptions) {}

  async take(keyId: string): Promise<RateVerdict> {
    const { redis, prefix, perSecond } = this.options;
    if (perSecond === 0) return { allowed: true };
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const replies = await redis.multi().incr(`${prefix}:{ratelimit}:key:${keyId}:${second}`).pexpire(`${prefix}:{ratelimit}:key:${keyId}:${second}`, 2_000).exec();
    const [error, count] = replies?.[0] ?? [new Error('rate limit transaction aborted'), 0];
    if (error) throw error;
    return rateVerdict(count as number, perSecond, second, now);
  }
}
