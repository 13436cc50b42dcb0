/**
 * Switchyard's Postgres engine, used as the agent uses it: `PostgresEngine.enqueueBulk` for
 * enqueues, the same `WorkerRuntime` as the Redis engine's system for processing, and in the
 * history scenario the `Archiver` moving finished tasks into `task_history` of the same database.
 * Two placements of one engine:
 * - `switchyard-postgres`: the local PostgreSQL server, beside graphile-worker (its own database);
 * - `switchyard-pglite`: embedded PGlite, the agent's default with nothing installed. The bench's
 *   main process serves it (started in queueBench.ts, its URL in `stores.pgliteUrl`), the worker
 *   process connects over loopback, as the embedded agent's own code does. PGlite is one session,
 *   so every pool on it has one connection.
 */
import pg from 'pg';
import { pino } from 'pino';
import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { Archiver } from '../../../agent/records/Archiver.js';
import { migrate } from '../../../agent/records/migrate.js';
import { HandlerRegistry } from '../../../agent/worker/HandlerRegistry.js';
import { WorkerRuntime } from '../../../agent/worker/WorkerRuntime.js';
import { queueDefinition } from '../../../shared/queue.js';
import { benchQueueName, type BenchPayload, type QueueSystem, type RunningWorker, type Stores, type WorkerOptions } from '../QueueSystem.js';
import { databaseUrl, dropDatabase, recreateDatabase } from '../stores.js';

/** The server database of `switchyard-postgres`; dropped and created on every reset. */
export const switchyardPostgresDatabase = 'switchyard_bench_pgengine';

const log = pino({ level: 'warn' }, pino.destination(2));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createSwitchyardPostgresSystem(stores: Stores): Promise<QueueSystem> {
  const url = databaseUrl(stores.postgresAdminUrl, switchyardPostgresDatabase);
  return createSystem({
    url,
    poolSize: 10,
    reset: async () => void (await recreateDatabase(stores.postgresAdminUrl, switchyardPostgresDatabase)),
    cleanup: () => dropDatabase(stores.postgresAdminUrl, switchyardPostgresDatabase),
  });
}

export function createSwitchyardPgliteSystem(stores: Stores): Promise<QueueSystem> {
  const url = stores.pgliteUrl;
  if (!url) throw new Error('switchyard-pglite needs the embedded PGlite the bench starts (stores.pgliteUrl)');
  // One database per PGlite: a reset empties its schema instead of recreating it.
  const emptySchema = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('drop schema public cascade; create schema public');
    } finally {
      await client.end();
    }
  };
  return createSystem({ url, poolSize: 1, reset: emptySchema, cleanup: emptySchema });
}

interface Placement {
  url: string;
  poolSize: number;
  /** Leaves an empty database at `url`. */
  reset(): Promise<void>;
  cleanup(): Promise<void>;
}

async function createSystem(placement: Placement): Promise<QueueSystem> {
  let pool: pg.Pool | undefined;
  let engine: PostgresEngine | undefined;
  const closers: Array<() => Promise<void>> = [];
  const connected = (): { pool: pg.Pool; engine: PostgresEngine } => {
    if (!pool || !engine) {
      pool = new pg.Pool({ connectionString: placement.url, max: placement.poolSize });
      pool.on('error', (error) => console.error(`switchyard postgres pool: ${error.message}`));
      engine = new PostgresEngine({ pool, log });
    }
    return { pool, engine };
  };
  const disconnect = async () => {
    await engine?.close();
    await pool?.end();
    engine = undefined;
    pool = undefined;
  };

  return {
    async reset() {
      await disconnect();
      await placement.reset();
      const { pool: fresh, engine: current } = connected();
      await migrate(fresh, { log });
      await current.defineQueue(queueDefinition({ name: benchQueueName, engine: 'postgres' }));
    },
    async enqueueBulk(payloads: readonly BenchPayload[]) {
      await connected().engine.enqueueBulk(benchQueueName, payloads.map((payload) => ({ type: 'noop', payload })));
    },
    async enqueue(payload: BenchPayload) {
      await connected().engine.enqueue(benchQueueName, { type: 'noop', payload });
    },
    async unfinished() {
      const counts = await connected().engine.counts(benchQueueName);
      return counts.scheduled + counts.queued + counts.active + counts.failed;
    },
    async startWorker({ setting: { concurrency, batch }, onTask, history }: WorkerOptions): Promise<RunningWorker> {
      const { pool: workerPool, engine: workerEngine } = connected();
      const handlers = new HandlerRegistry().register('noop', async ({ payload }) => {
        onTask(payload as BenchPayload);
        return undefined;
      });
      const runtime = new WorkerRuntime({
        engine: workerEngine,
        queues: [{ name: benchQueueName, concurrency, ...(batch === null ? {} : { prefetch: batch }) }],
        handlers,
        log,
      });
      let archiver: Archiver | undefined;
      if (history) {
        const historyArchiver = new Archiver({ pool: workerPool, engine: workerEngine, isLeader: () => true, log });
        archiver = historyArchiver;
        closers.push(() => historyArchiver.close());
      }
      await runtime.start();
      archiver?.start();
      return {
        stop: () => runtime.close(),
        async recorded(count: number) {
          if (!history) return;
          for (;;) {
            const { rows } = await workerPool.query<{ archived: number }>('select count(*)::int as archived from task_history where queue = $1', [benchQueueName]);
            if ((rows[0]?.archived ?? 0) >= count) return;
            await sleep(50);
          }
        },
      };
    },
    async cleanup() {
      await disconnect();
      await placement.cleanup();
    },
    async close() {
      for (const close of closers.splice(0)) await close();
      await disconnect();
    },
  };
}
