import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineRouter } from '../../../agent/engine/EngineRouter.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { QueueCatalog } from '../../../agent/queues/QueueCatalog.js';
import { QueueStore } from '../../../agent/records/QueueStore.js';
import { queueDefinition } from '../../../shared/queue.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';

describe('QueueCatalog.reconcile', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let redis: Awaited<ReturnType<typeof isolatedRedis>>;

  beforeAll(async () => {
    database = await migratedDatabase();
    redis = await isolatedRedis();
  });
  afterAll(async () => {
    await redis?.cleanup();
    await database?.close();
  });

  it('restores what an engine lost, records what only an engine knows, and leaves queues of engines it lacks alone', async () => {
    const store = new QueueStore(database.pool);
    const engine = new RedisEngine({ redis: redis.redis, prefix: redis.prefix });
    const router = new EngineRouter([engine]);
    await store.upsert(queueDefinition({ name: 'lost', engine: 'redis' }));
    await store.upsert(queueDefinition({ name: 'elsewhere', engine: 'postgres' }));
    await engine.defineQueue(queueDefinition({ name: 'unrecorded', engine: 'redis' }));

    const catalog = new QueueCatalog(store, router, router.kinds);
    expect(await catalog.reconcile()).toEqual({ restored: ['lost'], unavailable: ['elsewhere'] });
    expect(await engine.getQueue('lost')).toMatchObject({ engine: 'redis' });
    expect(await engine.getQueue('elsewhere')).toBeUndefined();
    expect((await store.list()).map((queue) => queue.name).sort()).toEqual(['elsewhere', 'lost', 'unrecorded']);
  });
});
