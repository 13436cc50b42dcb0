/**
 * The completion feed the run driver listens to (`Engine.onFinished`), on each engine: a task with
 * an announced key (`wf:…`) is announced once it finished, with its outcome (result, or the error
 * it went dead with), by an engine instance other than the listener's; a plain task, a task that
 * will be retried, and a stale acknowledgement are not; an outcome too large to travel is left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../agent/engine/Engine.js';
import { largestAnnouncedOutcome, type FinishedTask } from '../../../agent/engine/finishedTasks.js';
import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { queueDefinition } from '../../../shared/queue.js';
import { migratedDatabase, migratedEmbeddedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

interface Engines {
  /** Claims and acknowledges, as a worker does. */
  worker: Engine;
  /** Listens, as the leader's run driver does (the same instance on embedded PGlite, where there is one process). */
  listener: Engine;
  cleanup(): Promise<void>;
}

const engines: Record<string, () => Promise<Engines>> = {
  redis: async () => {
    const isolated = await isolatedRedis();
    const worker = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    const listener = new RedisEngine({ redis: isolated.redis, prefix: isolated.prefix });
    return { worker, listener, cleanup: async () => (await Promise.all([worker.close(), listener.close()]), await isolated.cleanup()) };
  },
  postgres: async () => {
    const database = await migratedDatabase();
    const worker = new PostgresEngine({ pool: database.pool });
    const listener = new PostgresEngine({ pool: database.pool });
    return { worker, listener, cleanup: async () => (await Promise.all([worker.close(), listener.close()]), await database.close()) };
  },
  pglite: async () => {
    const database = await migratedEmbeddedDatabase();
    const engine = new PostgresEngine({ pool: database.pool });
    return { worker: engine, listener: engine, cleanup: async () => (await engine.close(), await database.close()) };
  },
};

for (const [name, create] of Object.entries(engines)) {
  describe(`finished-task announcements on ${name}`, () => {
    let set: Engines;
    const heard: FinishedTask[] = [];
    let stop: () => Promise<void>;
    let queueNumber = 0;
    const lease = { workerId: 'worker-1', max: 10, leaseMs: 30_000 };

    beforeAll(async () => {
      set = await create();
      stop = await set.listener.onFinished((tasks) => heard.push(...tasks));
    }, 60_000);
    afterAll(async () => {
      await stop?.();
      await set?.cleanup();
    });

    async function newQueue(): Promise<string> {
      queueNumber += 1;
      const queue = `announced-${queueNumber}`;
      await set.worker.defineQueue(queueDefinition({ name: queue, engine: set.worker.kind, retry: { maxAttempts: 2 } }));
      return queue;
    }

    it('announces a workflow task that succeeded, with its result, and not a plain one', async () => {
      const queue = await newQueue();
      const [announced, plain] = await set.worker.enqueueBulk(queue, [
        { type: 'step', payload: 1, idempotencyKey: 'wf:00000000-0000-4000-8000-000000000001:a:1' },
        { type: 'step', payload: 2, idempotencyKey: 'other:1' },
      ]);
      const { tasks } = await set.worker.claim(queue, lease);
      await set.worker.acknowledge(
        queue,
        tasks.map((task) => ({ id: task.id, token: task.token, status: 'succeeded' as const, result: { doubled: (task.payload as number) * 2 } })),
      );
      const found = await until(() => heard.find((task) => task.id === announced!.id), { message: 'the announcement' });
      expect(found).toEqual({ queue, id: announced!.id, idempotencyKey: 'wf:00000000-0000-4000-8000-000000000001:a:1', state: 'succeeded', outcome: { result: { doubled: 2 } }, attempts: 1 });
      // The plain task was acknowledged in the same batch: had it been announced, it would have come with the first.
      expect(heard.some((task) => task.id === plain!.id)).toBe(false);
    });

    it('announces each failed attempt with its number: retrying, then dead with the error', async () => {
      const queue = await newQueue();
      const key = 'wf:00000000-0000-4000-8000-000000000002:b:1:7';
      const [enqueued] = await set.worker.enqueueBulk(queue, [{ type: 'step', payload: null, idempotencyKey: key }]);
      const failure = { message: 'boom', code: 'E_BOOM' };
      const statuses: string[] = [];
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const task = await until(async () => (await set.worker.claim(queue, lease)).tasks.find((claimed) => claimed.id === enqueued!.id), { message: `attempt ${attempt} to be claimable` });
        const [acknowledged] = await set.worker.acknowledge(queue, [{ id: task.id, token: task.token, status: 'failed', error: failure, retryDelayMs: 0 }]);
        statuses.push(acknowledged!.status);
      }
      expect(statuses).toEqual(['retrying', 'dead']);
      await until(() => heard.filter((task) => task.id === enqueued!.id).length === 2, { message: 'both announcements' });
      // Two NOTIFYs (Postgres) may travel on two pool connections: compare in attempt order.
      expect(heard.filter((task) => task.id === enqueued!.id).sort((a, b) => (a.attempts ?? 0) - (b.attempts ?? 0))).toEqual([
        { queue, id: enqueued!.id, idempotencyKey: key, state: 'retrying', outcome: { error: failure }, attempts: 1 },
        { queue, id: enqueued!.id, idempotencyKey: key, state: 'dead', outcome: { error: failure }, attempts: 2 },
      ]);
    });

    it('leaves out an outcome too large to travel, and ignores a stale acknowledgement', async () => {
      const queue = await newQueue();
      const [enqueued] = await set.worker.enqueueBulk(queue, [{ type: 'step', payload: null, idempotencyKey: 'wf:00000000-0000-4000-8000-000000000003:c:2' }]);
      const [first] = (await set.worker.claim(queue, { ...lease, leaseMs: 30 })).tasks;
      await until(async () => (await set.worker.recoverExpiredLeases(queue, 10)) > 0, { message: 'the lease to expire' });
      const [second] = (await set.worker.claim(queue, lease)).tasks;
      const [stale] = await set.worker.acknowledge(queue, [{ id: first!.id, token: first!.token, status: 'succeeded', result: 'too late' }]);
      expect(stale!.status).toBe('stale');
      const large = 'x'.repeat(largestAnnouncedOutcome + 1);
      await set.worker.acknowledge(queue, [{ id: second!.id, token: second!.token, status: 'succeeded', result: large }]);
      await until(() => heard.some((task) => task.id === enqueued!.id), { message: 'the announcement' });
      expect(heard.filter((task) => task.id === enqueued!.id)).toEqual([{ queue, id: enqueued!.id, idempotencyKey: 'wf:00000000-0000-4000-8000-000000000003:c:2', state: 'succeeded', attempts: second!.attempt }]);
      expect((await set.worker.getTask(queue, enqueued!.id))?.result).toBe(large);
    });
  });
}
