import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { queueDefinition } from '../../../shared/queue.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { startWorkerProcess, type WorkerTarget } from '../../helpers/workerProcess.js';

describe('Postgres engine: worker processes killed mid-batch', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let engine: PostgresEngine;
  let redis: Redis;
  let prefix: string;
  let cleanupRedis: () => Promise<void>;
  let target: WorkerTarget;

  beforeAll(async () => {
    database = await migratedDatabase();
    engine = new PostgresEngine({ pool: database.pool });
    ({ redis, prefix, cleanup: cleanupRedis } = await isolatedRedis());
    target = { engine: 'postgres', databaseUrl: database.url, prefix };
  });
  afterAll(async () => {
    await engine.close();
    await database.close();
    await cleanupRedis();
  });

  async function inFlight(queue: string): Promise<string[]> {
    const { rows } = await database.pool.query<{ id: string }>(`select id from engine_tasks where queue = $1 and state = 'active'`, [queue]);
    return rows.map((row) => row.id);
  }

  it('loses no task over repeated SIGKILLs, and runs twice only tasks in flight at a kill', async () => {
    const queue = 'crash';
    const total = 10_000;
    await engine.defineQueue(queueDefinition({ name: queue, engine: 'postgres' }));
    const tasks = Array.from({ length: total }, () => ({ type: 'record', payload: { ms: 1 }, maxAttempts: 20 }));
    for (let start = 0; start < total; start += 2_000) await engine.enqueueBulk(queue, tasks.slice(start, start + 2_000));

    const inFlightAtKills = new Set<string>();
    let kills = 0;
    for (let round = 0; round < 5; round += 1) {
      const worker = await startWorkerProcess(target, queue);
      const before = (await engine.counts(queue)).succeeded;
      await until(async () => (await engine.counts(queue)).succeeded >= Math.min(total, before + 1_000), {
        timeoutMs: 30_000,
        message: 'the worker to finish another thousand tasks',
      });
      worker.child.kill('SIGKILL');
      await worker.exited;
      kills += 1;
      // In flight at the kill: claimed and not acknowledged.
      for (const id of await inFlight(queue)) inFlightAtKills.add(id);
    }

    const survivor = await startWorkerProcess(target, queue);
    await until(async () => (await engine.counts(queue)).succeeded === total, { timeoutMs: 60_000, message: 'every task to succeed' });
    survivor.child.kill('SIGTERM');
    await survivor.exited;

    const runs = await redis.hgetall(`${prefix}:runs`);
    const ranTwice = Object.entries(runs).filter(([, count]) => Number(count) > 1).map(([id]) => id);
    console.log(`postgres crash test: ${kills} kills, ${inFlightAtKills.size} tasks in flight at a kill, ${ranTwice.length} ran more than once`);
    expect(kills).toBe(5);
    expect(inFlightAtKills.size).toBeGreaterThan(0);
    expect(Object.keys(runs)).toHaveLength(total);
    expect(ranTwice.filter((id) => !inFlightAtKills.has(id))).toEqual([]);
    expect(await engine.counts(queue)).toMatchObject({ queued: 0, active: 0, failed: 0, succeeded: total, dead: 0 });
    const { rows } = await database.pool.query<{ states: string }>(`select string_agg(distinct state, ',') as states from engine_tasks where queue = $1`, [queue]);
    expect(rows[0]?.states).toBe('succeeded');
  });

  it('sends a poison task that kills its worker dead after its attempts, while the rest complete', async () => {
    const queue = 'poison';
    const normal = 300;
    await engine.defineQueue(queueDefinition({ name: queue, engine: 'postgres' }));
    const { id: poisonId } = await engine.enqueue(queue, { type: 'poison', maxAttempts: 3 });
    await engine.enqueueBulk(queue, Array.from({ length: normal }, () => ({ type: 'record', payload: { ms: 1 }, maxAttempts: 10 })));

    let crashes = 0;
    const finished = async () => {
      const counts = await engine.counts(queue);
      return counts.succeeded === normal && counts.dead === 1;
    };
    while (!(await finished())) {
      expect(crashes).toBeLessThan(10);
      const worker = await startWorkerProcess(target, queue, 500);
      await until(async () => worker.hasExited() || (await finished()), { timeoutMs: 30_000, message: 'a crash or the end' });
      if (worker.hasExited()) crashes += 1;
      else {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    }
    const poison = await engine.getTask(queue, poisonId);
    expect(poison).toMatchObject({ state: 'dead', attempts: 3 });
    expect(poison?.history.map((attempt) => attempt.outcome)).toEqual(['lease-expired', 'lease-expired', 'lease-expired']);
    expect(crashes).toBe(3);
  });
});
