import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseSweeper } from '../../../agent/coordination/LeaseSweeper.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { queueDefinition } from '../../../shared/queue.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

describe('LeaseSweeper', () => {
  let engine: RedisEngine;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedRedis();
    cleanup = isolated.cleanup;
    engine = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
  });
  afterAll(async () => {
    await engine.close();
    await cleanup();
  });

  it('on the leader, makes tasks of a queue nobody claims from claimable again', async () => {
    await engine.defineQueue(queueDefinition({ name: 'orphans' }));
    await engine.enqueueBulk('orphans', [{ type: 't' }, { type: 't' }]);
    const { tasks } = await engine.claim('orphans', { workerId: 'dead-worker', max: 10, leaseMs: 30 });
    await until(() => Date.now() > tasks[0]!.leaseUntil + 20, { message: 'the lease to expire' });

    let leader = false;
    const sweeper = new LeaseSweeper(engine, () => leader, pino({ level: 'silent' }));
    expect(await sweeper.sweep()).toBe(0);
    expect((await engine.counts('orphans')).active).toBe(2);

    leader = true;
    expect(await sweeper.sweep()).toBe(2);
    expect(await engine.counts('orphans')).toMatchObject({ active: 0, queued: 2 });
    sweeper.close();
  });
});
