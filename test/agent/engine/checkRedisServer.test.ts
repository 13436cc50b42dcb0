import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { checkRedisServer } from '../../../agent/engine/redis/checkRedisServer.js';
import { ConfigError } from '../../../agent/config/ConfigError.js';
import { privateRedisServer } from '../../helpers/redisServer.js';

describe('checkRedisServer', () => {
  it('refuses a Redis that may evict keys, naming the setting and the fix', async () => {
    const server = await privateRedisServer('--maxmemory-policy', 'allkeys-lru');
    const redis = new Redis(server.url);
    try {
      const error = await checkRedisServer(redis, () => undefined).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe('--redis (REDIS_URL)');
      expect((error as Error).message).toContain("'allkeys-lru'");
      expect((error as Error).message).toContain('noeviction');
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });

  it('accepts noeviction, and warns only when append-only persistence is off', async () => {
    for (const [appendOnly, expected] of [
      ['no', [expect.stringContaining('append-only')]],
      ['yes', []],
    ] as const) {
      const server = await privateRedisServer('--maxmemory-policy', 'noeviction', '--appendonly', appendOnly);
      const redis = new Redis(server.url);
      try {
        const warnings: string[] = [];
        const facts = await checkRedisServer(redis, (message) => warnings.push(message));
        expect(facts).toMatchObject({ maxmemoryPolicy: 'noeviction', appendOnly: appendOnly === 'yes' });
        expect(warnings).toEqual(expected);
      } finally {
        redis.disconnect();
        await server.stop();
      }
    }
  });
});
