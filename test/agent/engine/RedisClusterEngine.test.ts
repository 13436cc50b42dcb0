import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type Redis } from 'ioredis';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { queueKeys } from '../../../agent/engine/redis/queueKeys.js';
import { queueDefinition } from '../../../shared/queue.js';
import { privateRedisCluster, type PrivateRedisCluster } from '../../helpers/redisCluster.js';
import { until } from '../../helpers/until.js';
import { engineContract } from './engineContract.js';

/**
 * The Redis engine, unchanged, on a real three-master Redis Cluster: the same contract suite as
 * on one Redis, then checks that queues really live on different masters.
 */

const prefix = 'sycluster';
let server: PrivateRedisCluster;
let cluster: Cluster;

beforeAll(async () => {
  server = await privateRedisCluster(3);
  cluster = new Cluster(server.nodes, { redisOptions: { maxRetriesPerRequest: 3 } });
  await new Promise<void>((resolve, reject) => {
    cluster.once('ready', resolve);
    cluster.once('error', reject);
  });
}, 60_000);

afterAll(async () => {
  await cluster?.quit().catch(() => cluster.disconnect());
  await server?.close();
});

engineContract('redis cluster', async () => {
  const engine = new RedisEngine({ redis: cluster, prefix });
  // The keys stay until the cluster goes: the checks below look for them on each master.
  return { engine, cleanup: () => engine.close() };
});

/**
 * Keys matching `pattern` in one master's own keyspace, scanned to the end (SCAN is not routed
 * by slot: each master answers for the keys it holds).
 */
async function scanNode(node: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** The port of the master serving the slot of `key`, from CLUSTER SLOTS. */
async function ownerOf(key: string): Promise<number> {
  const slot = Number(await cluster.cluster('KEYSLOT', key));
  const ranges = (await cluster.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
  const range = ranges.find(([first, last]) => slot >= first && slot <= last);
  if (!range) throw new Error(`no master serves slot ${slot}`);
  return range[2][1];
}

/** The ports of the masters whose keyspace holds `key`. */
async function holders(key: string): Promise<number[]> {
  const found: number[] = [];
  for (const node of cluster.nodes('master')) {
    if ((await scanNode(node, key)).length > 0) found.push(node.options.port!);
  }
  return found;
}

describe('redis engine on a cluster', () => {
  // Runs after the contract suite above (tests of a file run in order) and reads the keys it left.
  it('spread the contract queues over every master', async () => {
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    const queuesPerMaster = await Promise.all(masters.map(async (node) => (await scanNode(node, `${prefix}:{q:contract-*}:meta`)).length));
    expect(queuesPerMaster.every((count) => count > 0)).toBe(true);
  });

  it('runs a queue on each master: enqueue, claim, acknowledge, wake, list and delete', async () => {
    const engine = new RedisEngine({ redis: cluster, prefix });
    try {
      const ports = server.nodes.map((node) => node.port);
      // One queue name per master: the first names whose hash tag lands in each master's slots.
      const queueOn = new Map<number, string>();
      for (let index = 0; queueOn.size < ports.length && index < 1_000; index += 1) {
        const name = `spread-${index}`;
        const owner = await ownerOf(queueKeys(prefix, name).meta);
        if (!queueOn.has(owner)) queueOn.set(owner, name);
      }
      expect(queueOn.size).toBe(3);
      for (const [port, queue] of queueOn) {
        const { base, meta, pattern } = queueKeys(prefix, queue);
        await engine.defineQueue(queueDefinition({ name: queue, engine: 'redis' }));
        expect(await holders(meta)).toEqual([port]);
        let woken = 0;
        const stop = await engine.subscribe(queue, () => (woken += 1));
        const { id } = await engine.enqueue(queue, { type: 't', payload: { port }, idempotencyKey: 'once' });
        await until(() => woken > 0, { message: `a wake-up from the queue on ${port}` });
        await stop();
        const [task] = (await engine.claim(queue, { workerId: 'w', max: 10, leaseMs: 30_000 })).tasks;
        expect(task).toMatchObject({ id, payload: { port } });
        // Keys the scripts build from the base (not passed as KEYS) land in the queue's slot too.
        expect(await holders(`${base}idem:once`)).toEqual([port]);
        expect(await holders(`${base}lease:${task!.token}`)).toEqual([port]);
        expect(await engine.acknowledge(queue, [{ id, token: task!.token, status: 'succeeded', result: 'ok' }])).toEqual([{ id, status: 'succeeded' }]);
        expect(await engine.getTask(queue, id)).toMatchObject({ state: 'succeeded', result: 'ok' });
        for (const node of cluster.nodes('master')) {
          const keys = await scanNode(node, pattern);
          expect(keys.length > 0).toBe(node.options.port === port);
        }
      }
      const listed = (await engine.listQueues()).map((definition) => definition.name);
      expect(listed).toEqual(expect.arrayContaining([...queueOn.values()]));
      for (const [port, queue] of queueOn) {
        await engine.deleteQueue(queue);
        expect(await engine.getQueue(queue)).toBeUndefined();
        const node = cluster.nodes('master').find((master) => master.options.port === port)!;
        expect(await scanNode(node, queueKeys(prefix, queue).pattern)).toEqual([]);
      }
    } finally {
      await engine.close();
    }
  });

  it('runs its scripts again on a master that lost them (EVALSHA answers NOSCRIPT, then EVAL)', async () => {
    const engine = new RedisEngine({ redis: cluster, prefix });
    try {
      const queue = 'noscript';
      await engine.defineQueue(queueDefinition({ name: queue, engine: 'redis' }));
      const port = await ownerOf(queueKeys(prefix, queue).meta);
      const owner = cluster.nodes('master').find((node) => node.options.port === port)!;
      await owner.script('FLUSH');
      await owner.config('RESETSTAT');
      const { id } = await engine.enqueue(queue, { type: 't' });
      expect(await engine.getTask(queue, id)).toMatchObject({ state: 'queued' });
      expect(await owner.info('errorstats')).toContain('errorstat_NOSCRIPT:count=1');
    } finally {
      await engine.close();
    }
  });
});
