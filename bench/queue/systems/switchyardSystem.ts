/**
 * Switchyard's Redis engine, used as the agent uses it: `RedisEngine.enqueueBulk` for enqueues,
 * the `WorkerRuntime` with a `HandlerRegistry` holding one no-op handler for processing (batch
 * claims, outcomes sent with the next claim), and in the history scenario the `Archiver` moving
 * finished tasks into PostgreSQL `task_history` from the worker's process, as the leader agent does.
 * Without the archiver, finished tasks stay in Redis until archived (the engine's design).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { queueDefinition } from '../../../shared/queue.js';
import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { Archiver } from '../../../agent/records/Archiver.js';
import { migrate } from '../../../agent/records/migrate.js';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';
import { WorkerRuntime } from '../../../agent/worker/WorkerRuntime.js';
import { benchQueueName, type BenchPayload, type QueueSystem, type RunningWorker, type Stores, type WorkerOptions } from '../QueueSystem.js';
import { databaseUrl, deleteKeysByPrefix, dropDatabase, recreateDatabase } from '../stores.js';

/** Every Switchyard key of the bench starts with this. */
export const switchyardPrefix = 'sybench-switchyard';
/** The records database the archiver writes history into; dropped and created on every reset. */
export const switchyardDatabase = 'switchyard_bench_records';

const log = pino({ level: 'warn' }, pino.destination(2));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function createSwitchyardSystem(stores: Stores): Promise<QueueSystem> {
  const redis = new Redis(stores.redisUrl, { maxRetriesPerRequest: 3 });
  const engine = new RedisEngine({ redis, prefix: switchyardPrefix });
  const recordsUrl = databaseUrl(stores.postgresAdminUrl, switchyardDatabase);
  const closers: Array<() => Promise<void>> = [];

  return {
    async reset() {
      await deleteKeysByPrefix(redis, `${switchyardPrefix}:`);
      await engine.defineQueue(queueDefinition({ name: benchQueueName }));
      await recreateDatabase(stores.postgresAdminUrl, switchyardDatabase);
      const pool = new pg.Pool({ connectionString: recordsUrl, max: 1 });
      try {
        await migrate(pool, { log });
      } finally {
        await pool.end();
      }
    },
    async enqueueBulk(payloads: readonly BenchPayload[]) {
      await engine.enqueueBulk(benchQueueName, payloads.map((payload) => ({ type: 'noop', payload })));
    },
    async enqueue(payload: BenchPayload) {
      await engine.enqueue(benchQueueName, { type: 'noop', payload });
    },
    async unfinished() {
      const counts = await engine.counts(benchQueueName);
      return counts.scheduled + counts.queued + counts.active + counts.failed;
    },
    async startWorker({ setting: { concurrency, batch }, onTask, history }: WorkerOptions): Promise<RunningWorker> {
      const handlers = new HandlerRegistry().register('noop', async ({ payload }) => {
        onTask(payload as BenchPayload);
        return undefined;
      });
      const runtime = new WorkerRuntime({ engine, queues: [{ name: benchQueueName, concurrency, ...(batch === null ? {} : { prefetch: batch }) }], handlers, log });
      let archiver: Archiver | undefined;
      let pool: pg.Pool | undefined;
      if (history) {
        const historyPool = new pg.Pool({ connectionString: recordsUrl, max: 2 });
        historyPool.on('error', (error) => console.error(`switchyard records pool: ${error.message}`));
        const historyArchiver = new Archiver({ pool: historyPool, engine, isLeader: () => true, log });
        pool = historyPool;
        archiver = historyArchiver;
        closers.push(async () => {
          await historyArchiver.close();
          await historyPool.end();
        });
      }
      await runtime.start();
      archiver?.start();
      return {
        stop: () => runtime.close(),
        async recorded(count: number) {
          if (pool === undefined) return;
          for (;;) {
            const { rows } = await pool.query<{ archived: number }>(
              'select count(*)::int as archived from task_history where queue = $1',
              [benchQueueName],
            );
            if ((rows[0]?.archived ?? 0) >= count) return;
            await sleep(50);
          }
        },
      };
    },
    async cleanup() {
      await deleteKeysByPrefix(redis, `${switchyardPrefix}:`);
      await dropDatabase(stores.postgresAdminUrl, switchyardDatabase);
    },
    async close() {
      for (const close of closers.splice(0)) await close();
      await engine.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
