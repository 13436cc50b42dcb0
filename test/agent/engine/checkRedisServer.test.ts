import { describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { checkRedisServer } from '../../../agent/engine/redis/checkRedisServer.js';
import { ConfigError } from '../../../agent/config/ConfigError.js';
import { privateRedisCluster } from '../../helpers/redisCluster.js';
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

  it('checks every master of a cluster, naming the one that may evict', async () => {
    const server = await privateRedisCluster(3);
    const cluster = new Cluster(server.nodes);
    try {
      const warnings: string[] = [];
      expect(await checkRedisServer(cluster, (message) => warnings.push(message))).toMatchObject({ maxmemoryPolicy: 'noeviction' });
      expect(warnings).toHaveLength(1);
      for (const node of server.nodes) expect(warnings[0]).toContain(`${node.host}:${node.port}`);

      const last = server.nodes[2]!;
      const evicting = new Redis(last.port, last.host);
      await evicting.config('SET', 'maxmemory-policy', 'allkeys-lru');
      evicting.disconnect();
      const error = await checkRedisServer(cluster, () => undefined).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`Redis cluster node ${last.host}:${last.port} has maxmemory-policy 'allkeys-lru'`);
    } finally {
      await cluster.quit().catch(() => cluster.disconnect());
      await server.close();
    }
  });
});
