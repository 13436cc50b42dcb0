import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDefinition } from '../../../shared/queue.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { createWorker, PermanentError } from '../../../agent/worker/index.js';
import { RedisWorkerRegistry } from '../../../agent/worker/RedisWorkerRegistry.js';
import { isolatedRedis, redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

let redis: Redis;
let prefix: string;
let cleanup: () => Promise<void>;
let engine: RedisEngine;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  ({ redis, prefix, cleanup } = await isolatedRedis());
  engine = new RedisEngine({ redis, prefix });
  await engine.defineQueue(queueDefinition({ name: 'emails' }));
  await engine.defineQueue(queueDefinition({ name: 'reports' }));
});
afterAll(async () => {
  await engine.close();
  await cleanup();
});

describe('createWorker (switchyard/worker)', () => {
  it('runs the application handlers, registers as an sdk worker, and leaves on close', async () => {
    const worker = createWorker({
      redisUrl,
      prefix,
      queues: ['emails', { name: 'reports', concurrency: 2 }],
      concurrency: 5,
      log,
      handlers: {
        'email.welcome': async ({ payload }) => `welcomed ${(payload as { to: string }).to}`,
        'report.refuse': async () => {
          throw new PermanentError('no such report');
        },
      },
    });
    await worker.start();
    const [welcome] = await engine.enqueueBulk('emails', [{ type: 'email.welcome', payload: { to: 'ada@example.com' } }]);
    const [refused] = await engine.enqueueBulk('reports', [{ type: 'report.refuse' }]);

    await until(async () => (await engine.getTask('emails', welcome!.id))?.state === 'succeeded', { message: 'welcome sent' });
    expect((await engine.getTask('emails', welcome!.id))?.result).toBe('welcomed ada@example.com');
    await until(async () => (await engine.getTask('reports', refused!.id))?.state === 'dead', { message: 'report dead' });

    const registry = new RedisWorkerRegistry({ redis, prefix });
    expect((await registry.list()).find((listed) => listed.id === worker.id)).toMatchObject({
      kind: 'sdk',
      queues: ['emails', 'reports'],
      slots: 7,
    });
    expect(worker.stats()).toMatchObject({ succeeded: 1, failed: 1 });

    await worker.close();
    expect((await registry.list()).map((listed) => listed.id)).not.toContain(worker.id);
  });

  it('uses a given Redis connection and leaves it open', async () => {
    const worker = createWorker({ redis, prefix, queues: ['emails'], handlers: { noop: async () => undefined }, log });
    await worker.start();
    const [task] = await engine.enqueueBulk('emails', [{ type: 'noop' }]);
    await until(async () => (await engine.getTask('emails', task!.id))?.state === 'succeeded', { message: 'noop ran' });
    await worker.close({ drainMs: 1_000 });
    expect(await redis.ping()).toBe('PONG');
  });

  it('refuses options without a Redis', () => {
    expect(() => createWorker({ queues: ['emails'], handlers: {} })).toThrow(/redisUrl or redis/);
  });
});
