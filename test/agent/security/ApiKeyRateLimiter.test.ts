import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyRateLimiter } from '../../../agent/security/ApiKeyRateLimiter.js';
import { InMemoryApiKeyRateLimiter } from '../../../agent/security/InMemoryApiKeyRateLimiter.js';
import { RedisApiKeyRateLimiter } from '../../../agent/security/RedisApiKeyRateLimiter.js';
import { isolatedRedis } from '../../helpers/redis.js';

let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await isolatedRedis());
});
afterAll(async () => cleanup?.());

/**
 * Takes `count` requests of one key within one second of the clock and answers the verdicts. When a
 * second boundary falls in between it tries again with a fresh key (`<key>-<attempt>`): the
 * straddling attempt already counted requests in the new second.
 */
async function burst(limiter: ApiKeyRateLimiter, key: string, count: number) {
  for (let attempt = 0; ; attempt++) {
    const second = Math.floor(Date.now() / 1000);
    const verdicts = [];
    for (let index = 0; index < count; index++) verdicts.push(await limiter.take(`${key}-${attempt}`));
    if (Math.floor(Date.now() / 1000) === second) return verdicts;
  }
}

describe.each([
  ['RedisApiKeyRateLimiter', (perSecond: number): ApiKeyRateLimiter => new RedisApiKeyRateLimiter({ redis, prefix, perSecond })],
  ['InMemoryApiKeyRateLimiter', (perSecond: number): ApiKeyRateLimiter => new InMemoryApiKeyRateLimiter({ perSecond })],
])('%s', (_name, make) => {
  it('allows perSecond requests of a key in one second, then answers the wait to the next second', async () => {
    const limiter = make(3);
    const key = `key-${Math.random()}`;
    const verdicts = await burst(limiter, key, 4);
    expect(verdicts.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(verdicts[3]).toMatchObject({ allowed: false });
    const wait = (verdicts[3] as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1_000);
  });

  it('counts each key on its own', async () => {
    const limiter = make(1);
    const verdicts = await burst(limiter, `a-${Math.random()}`, 1);
    expect(verdicts).toEqual([{ allowed: true }]);
    expect(await burst(limiter, `b-${Math.random()}`, 1)).toEqual([{ allowed: true }]);
  });

  it('does not limit at 0', async () => {
    const verdicts = await burst(make(0), 'unlimited', 50);
    expect(verdicts.every((verdict) => verdict.allowed)).toBe(true);
  });
});

describe('InMemoryApiKeyRateLimiter', () => {
  it('starts afresh in a new second', async () => {
    let now = 5_000;
    const limiter = new InMemoryApiKeyRateLimiter({ perSecond: 1, now: () => now });
    expect(await limiter.take('k')).toEqual({ allowed: true });
    now = 5_900;
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterMs: 100 });
    now = 6_000;
    expect(await limiter.take('k')).toEqual({ allowed: true });
  });
});
