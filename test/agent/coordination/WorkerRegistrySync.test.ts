import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerRegistrySync } from '../../../agent/coordination/WorkerRegistrySync.js';
import { WorkerStore } from '../../../agent/records/WorkerStore.js';
import { RedisWorkerRegistry } from '../../../agent/worker/RedisWorkerRegistry.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';

describe('WorkerRegistrySync', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let redisCleanup: () => Promise<void>;
  let registry: RedisWorkerRegistry;
  let store: WorkerStore;

  beforeAll(async () => {
    database = await migratedDatabase();
    const { redis, prefix, cleanup } = await isolatedRedis();
    redisCleanup = cleanup;
    registry = new RedisWorkerRegistry({ redis, prefix });
    store = new WorkerStore(database.pool);
  });
  afterAll(async () => {
    await redisCleanup();
    await database.close();
  });

  it('copies live workers into Postgres on the leader, and marks the departed stopped', async () => {
    let leader = false;
    const sync = new WorkerRegistrySync(registry, store, () => leader, pino({ level: 'silent' }));
    await registry.register({ id: 'host:1:aa', host: 'host', pid: 1, queues: ['emails'], types: ['welcome'], slots: 10, startedAt: Date.now(), kind: 'sdk' });
    await sync.sync();
    expect(await store.list()).toEqual([]);

    leader = true;
    await sync.sync();
    expect(await store.list()).toEqual([expect.objectContaining({ id: 'host:1:aa', queues: ['emails'], slots: 10, stoppedAt: null })]);

    await registry.deregister('host:1:aa');
    await sync.sync();
    expect((await store.list())[0]?.stoppedAt).toEqual(expect.any(Number));
  });
});
