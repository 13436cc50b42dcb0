import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueInTransaction } from '../../../../agent/engine/postgres/enqueueInTransaction.js';
import { PostgresEngine } from '../../../../agent/engine/postgres/PostgresEngine.js';
import { EngineError } from '../../../../agent/engine/EngineError.js';
import { HandlerRegistry } from '../../../../agent/worker/HandlerRegistry.js';
import { WorkerRuntime } from '../../../../agent/worker/WorkerRuntime.js';
import { withPgClient } from '../../../../agent/records/withPgClient.js';
import { queueDefinition } from '../../../../shared/queue.js';
import { migratedDatabase } from '../../../helpers/postgres.js';
import { until } from '../../../helpers/until.js';

describe('transactional enqueue (Postgres engine)', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let engine: PostgresEngine;
  const queue = 'orders';

  beforeAll(async () => {
    database = await migratedDatabase();
    engine = new PostgresEngine({ pool: database.pool });
    await engine.defineQueue(queueDefinition({ name: queue, engine: 'postgres' }));
    await database.pool.query('create table orders (id serial primary key, note text not null)');
  });
  afterAll(async () => {
    await engine.close();
    await database.close();
  });

  async function inTransaction<T>(end: 'commit' | 'rollback', work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withPgClient(database.pool, async (client) => {
      await client.query('begin');
      try {
        return await work(client);
      } finally {
        await client.query(end);
      }
    });
  }

  it('leaves no task when the transaction rolls back', async () => {
    const { id } = await inTransaction('rollback', async (client) => {
      await client.query(`insert into orders (note) values ('never')`);
      const enqueued = await enqueueInTransaction(client, queue, { type: 'order.ship', payload: { note: 'never' } });
      // Inside the transaction the task is there…
      expect((await client.query('select state from engine_tasks where id = $1', [enqueued.id])).rows).toEqual([{ state: 'queued' }]);
      return enqueued;
    });
    // …and after the rollback it is not, nor is it counted.
    expect(await engine.getTask(queue, id)).toBeUndefined();
    expect(await engine.counts(queue)).toMatchObject({ queued: 0 });
  });

  it('runs a task whose transaction committed, woken by the commit', async () => {
    const ran: unknown[] = [];
    const runtime = new WorkerRuntime({
      engine,
      queues: [{ name: queue, concurrency: 2 }],
      handlers: new HandlerRegistry().register('order.ship', async ({ payload }) => {
        ran.push(payload);
        return 'shipped';
      }),
      // Far longer than the test waits: only the NOTIFY sent with the commit can wake it in time.
      idlePollMs: 60_000,
      log: pino({ level: 'silent' }),
    });
    await runtime.start();
    try {
      await until(() => runtime.stats().queues[queue]?.idle, { message: 'the worker to go idle' });
      const [first, second] = await inTransaction('commit', async (client) => {
        await client.query(`insert into orders (note) values ('ship me')`);
        return enqueueInTransaction(client, queue, [
          { type: 'order.ship', payload: { order: 1 } },
          { type: 'order.ship', payload: { order: 2 } },
        ]);
      });
      await until(async () => (await engine.getTask(queue, second!.id))?.state === 'succeeded', { timeoutMs: 5_000, message: 'the committed tasks to run' });
      expect(await engine.getTask(queue, first!.id)).toMatchObject({ state: 'succeeded', result: 'shipped' });
      expect(ran).toEqual(expect.arrayContaining([{ order: 1 }, { order: 2 }]));
    } finally {
      await runtime.close({ drainMs: 1_000 });
    }
  });

  it('validates like every enqueue and refuses an unknown queue, writing nothing', async () => {
    await inTransaction('commit', async (client) => {
      const bad = await enqueueInTransaction(client, queue, { type: 't', priority: 12 }).catch((error: unknown) => error);
      expect(bad).toBeInstanceOf(EngineError);
      expect((bad as EngineError).field).toBe('tasks[0].priority');
      await client.query('savepoint unknown');
      const unknown = await enqueueInTransaction(client, 'no-such-queue', { type: 't' }).catch((error: unknown) => error);
      expect((unknown as EngineError).code).toBe('unknown_queue');
      await client.query('rollback to savepoint unknown');
    });
    expect((await engine.counts(queue)).queued).toBe(0);
  });
});
