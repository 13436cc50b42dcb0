import { describe, expect, it } from 'vitest';
import { queueDefinition } from '../../../shared/queue.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { engineContract } from './engineContract.js';

engineContract('redis', async () => {
  const { redis, prefix, cleanup } = await isolatedRedis();
  const engine = new RedisEngine({ redis, prefix });
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      await cleanup();
    },
  };
});

describe('Redis engine: keys beyond the contract', () => {
  it('forgets the logged lines of an archived task with it', async () => {
    const { redis, prefix, cleanup } = await isolatedRedis();
    const engine = new RedisEngine({ redis, prefix });
    try {
      await engine.defineQueue(queueDefinition({ name: 'logs' }));
      const { id } = await engine.enqueue('logs', { type: 't' });
      const [task] = (await engine.claim('logs', { workerId: 'w', max: 1, leaseMs: 30_000 })).tasks;
      await engine.acknowledge('logs', [{ id, token: task!.token, status: 'succeeded', logs: { attempt: 1, lines: ['hello'] } }]);
      const logsKey = `${prefix}:{q:logs}:logs`;
      expect(await redis.hlen(logsKey)).toBe(1);
      await engine.takeFinished('logs', 10);
      await engine.forgetFinished('logs', [id]);
      expect(await redis.exists(logsKey)).toBe(0);
    } finally {
      await engine.close();
      await cleanup();
    }
  });
});
