import type { Cluster, Redis } from 'ioredis';
import { ConfigError } from '../../config/ConfigError.js';

/** What the agent needs to know about a Redis server before trusting it with tasks. */
export interface RedisServerFacts {
  version: string;
  maxmemoryPolicy: string;
  appendOnly: boolean;
}

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/** Reads the facts from INFO (which managed services allow even where CONFIG is disabled). */
export async function redisServerFacts(redis: Redis | Cluster): Promise<RedisServerFacts> {
  const info = await redis.info();
  return {
    version: infoField(info, 'redis_version') ?? 'unknown',
    maxmemoryPolicy: infoField(info, 'maxmemory_policy') ?? 'unknown',
    appendOnly: infoField(info, 'aof_enabled') === '1',
  };
}

/**
 * Refuses a Redis that may evict keys — an evicted task is a lost task — and warns when
 * append-only persistence is off (a Redis restart would lose what was queued since the last snapshot).
 */
export async function checkRedisServer(
  redis: Redis | Cluster,
  warn: (message: string) => void,
  setting = '--redis (REDIS_URL)',
): Promise<RedisServerFacts> {
  const facts = await redisServerFacts(redis);
  if (facts.maxmemoryPolicy !== 'noeviction') {
    throw new ConfigError(
      setting,
      `Redis has maxmemory-policy '${facts.maxmemoryPolicy}', which may evict queued tasks; set it to 'noeviction' (CONFIG SET maxmemory-policy noeviction, and in redis.conf)`,
    );
  }
  if (!facts.appendOnly) {
    warn('Redis append-only persistence is off: tasks queued since the last snapshot are lost if Redis restarts (set appendonly yes)');
  }
  return facts;
}
