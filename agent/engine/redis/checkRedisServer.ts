import type { Cluster, Redis } from 'ioredis';
import { ConfigError } from '../../config/ConfigError.js';
import { isCluster, masters } from './masters.js';

/** What the agent needs to know about a Redis server before trusting it with tasks. */
export interface RedisServerFacts {
  version: string;
  maxmemoryPolicy: string;
  appendOnly: boolean;
}

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/** Reads the facts of one server from INFO (which managed services allow even where CONFIG is disabled). */
export async function redisServerFacts(redis: Redis): Promise<RedisServerFacts> {
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
 * On a cluster every master is checked (INFO answers for one server only) and named when it fails;
 * the facts returned are the first master's.
 */
export async function checkRedisServer(
  redis: Redis | Cluster,
  warn: (message: string) => void,
  setting = '--redis (REDIS_URL)',
): Promise<RedisServerFacts> {
  const servers = await masters(redis);
  if (servers.length === 0) throw new ConfigError(setting, 'the Redis cluster has no master serving slots');
  const facts = await Promise.all(servers.map((server) => redisServerFacts(server)));
  const name = (index: number) => (isCluster(redis) ? `Redis cluster node ${servers[index]!.options.host}:${servers[index]!.options.port}` : 'Redis');
  const evicting = facts.findIndex((server) => server.maxmemoryPolicy !== 'noeviction');
  if (evicting >= 0) {
    throw new ConfigError(
      setting,
      `${name(evicting)} has maxmemory-policy '${facts[evicting]!.maxmemoryPolicy}', which may evict queued tasks; set it to 'noeviction' (CONFIG SET maxmemory-policy noeviction, and in redis.conf)`,
    );
  }
  const withoutAppendOnly = facts.flatMap((server, index) => (server.appendOnly ? [] : [name(index)]));
  if (withoutAppendOnly.length > 0) {
    const where = isCluster(redis) ? ` on ${withoutAppendOnly.join(', ')}` : '';
    warn(`Redis append-only persistence is off${where}: tasks queued since the last snapshot are lost if Redis restarts (set appendonly yes)`);
  }
  return facts[0]!;
}
