/**
 * graphile-worker, configured as its documentation describes: jobs added in bulk with
 * `WorkerUtils.addJobs` (one `graphile_worker.add_jobs` call per chunk), processed by `run()` with
 * a task list holding one no-op task, the default `pollInterval` (LISTEN/NOTIFY wakes it) and a
 * pool one larger than the concurrency. graphile-worker deletes a job when it completes, so it
 * keeps no history of finished jobs: the history scenario runs it unchanged with 1 KB payloads.
 */
import { Logger, makeWorkerUtils, run, runMigrations, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import type { BenchPayload, QueueSystem, RunningWorker, Stores, WorkerOptions } from '../QueueSystem.js';
import { databaseUrl, dropDatabase, recreateDatabase } from '../stores.js';

/** The scratch database graphile-worker runs in; dropped and created again on every reset. */
export const graphileDatabase = 'switchyard_bench_graphile';

/** Reports errors only: the per-job info lines would cost more than the no-op jobs. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`graphile-worker: ${message}`);
});

/**
 * A pool the bench owns: graphile-worker's own pools end without waiting, so a database dropped
 * right after would kill their connections under them.
 */
function ownPool(connectionString: string, max: number, role: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // A pool being ended lets its sockets close after `end()` resolves; a database dropped at that
  // moment terminates them, which is expected and not worth a line.
  const report = (error: Error): void => {
    if (!pool.ending) console.error(`graphile-worker ${role} pool: ${error.message}`);
  };
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}

export async function createGraphileWorkerSystem(stores: Stores): Promise<QueueSystem> {
  const connectionString = databaseUrl(stores.postgresAdminUrl, graphileDatabase);
  let producerPool: pg.Pool | undefined;
  let utils: WorkerUtils | undefined;
  const producer = async (): Promise<WorkerUtils> => {
    producerPool ??= ownPool(connectionString, 10, 'producer');
    return (utils ??= await makeWorkerUtils({ pgPool: producerPool, logger: quietLogger }));
  };
  const release = async (): Promise<void> => {
    await utils?.release();
    await producerPool?.end();
    utils = undefined;
    producerPool = undefined;
  };

  return {
    async reset() {
      await release();
      await recreateDatabase(stores.postgresAdminUrl, graphileDatabase);
      const pool = ownPool(connectionString, 1, 'migration');
      try {
        await runMigrations({ pgPool: pool, logger: quietLogger });
      } finally {
        await pool.end();
      }
    },
    async enqueueBulk(payloads: readonly BenchPayload[]) {
      await (await producer()).addJobs(payloads.map((payload) => ({ identifier: 'noop', payload })));
    },
    async enqueue(payload: BenchPayload) {
      await (await producer()).addJob('noop', payload);
    },
    async unfinished() {
      // Completed jobs are deleted, so every row left is unfinished.
      const rows = await (await producer()).withPgClient((client) =>
        client.query<{ left: number }>('select count(*)::int as left from graphile_worker.jobs'),
      );
      return rows.rows[0]?.left ?? 0;
    },
    async startWorker({ setting: { concurrency, batch }, onTask }: WorkerOptions): Promise<RunningWorker> {
      const pool = ownPool(connectionString, concurrency + 1, 'worker');
      const runner = await run({
        pgPool: pool,
        concurrency,
        // A batch setting turns on the local queue: jobs locked and fetched `batch` at a time,
        // completions sent in batches (both off by default in 0.17).
        ...(batch === null ? {} : { preset: { worker: { localQueue: { size: batch }, completeJobBatchDelay: 0 } } }),
        noHandleSignals: true,
        logger: quietLogger,
        taskList: {
          noop: async (payload) => {
            onTask(payload as BenchPayload);
          },
        },
      });
      return {
        stop: async () => {
          await runner.stop();
          await pool.end();
        },
        recorded: async () => {},
      };
    },
    async cleanup() {
      await release();
      await dropDatabase(stores.postgresAdminUrl, graphileDatabase);
    },
    async close() {
      await release();
    },
  };
}
