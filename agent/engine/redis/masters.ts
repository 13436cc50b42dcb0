import type { Cluster, Redis } from 'ioredis';

/** Whether the connection is an ioredis Cluster (both classes carry `isCluster`). */
export function isCluster(redis: Redis | Cluster): redis is Cluster {
  return redis.isCluster;
}

/**
 * The servers that hold keys: the one Redis, or every master of a cluster. Commands without a
 * key (`SCAN`, `INFO`) reach only one server, so what must see every key or every server asks
 * each of these. A cluster that is not ready yet knows only its start-up nodes, so this waits
 * for it first (a `PING` is held until the slot map is loaded).
 */
export async function masters(redis: Redis | Cluster): Promise<Redis[]> {
  if (!isCluster(redis)) return [redis];
  if (redis.status !== 'ready') await redis.ping();
  return redis.nodes('master');
}
