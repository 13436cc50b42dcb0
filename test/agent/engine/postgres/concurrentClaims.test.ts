import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../../../agent/engine/postgres/PostgresEngine.js';
import { queueDefinition } from '../../../../shared/queue.js';
import { migratedDatabase } from '../../../helpers/postgres.js';

describe('Postgres engine: claims racing each other on a real server', () => {
  let database: Awaited<ReturnType<typeof migratedDatabase>>;
  let engine: PostgresEngine;

  beforeAll(async () => {
    database = await migratedDatabase();
    engine = new PostgresEngine({ pool: database.pool });
  });
  afterAll(async () => {
    await engine.close();
    await database.close();
  });

  const claimer = (workerId: string) => ({ workerId, max: 7, leaseMs: 30_000 });

  it('hands every task to exactly one of many concurrent claims', async () => {
    await engine.defineQueue(queueDefinition({ name: 'race', engine: 'postgres' }));
    await engine.enqueueBulk('race', Array.from({ length: 500 }, (_, n) => ({ type: 't', payload: { n } })));
    const seen = new Set<string>();
    let claimed = 0;
    for (let round = 0; round < 20 && seen.size < 500; round += 1) {
      const batches = await Promise.all(Array.from({ length: 8 }, (_, worker) => engine.claim('race', claimer(`w${worker}`))));
      for (const batch of batches) {
        for (const task of batch.tasks) seen.add(task.id);
        claimed += batch.tasks.length;
      }
    }
    expect(seen.size).toBe(500);
    expect(claimed).toBe(500);
    expect(await engine.counts('race')).toMatchObject({ queued: 0, active: 500 });
  });

  it('never exceeds a concurrency cap, however many claims run at once', async () => {
    await engine.defineQueue(queueDefinition({ name: 'capped', engine: 'postgres', concurrency: 5 }));
    await engine.enqueueBulk('capped', Array.from({ length: 100 }, () => ({ type: 't' })));
    for (let round = 0; round < 10; round += 1) {
      const batches = await Promise.all(Array.from({ length: 8 }, (_, worker) => engine.claim('capped', claimer(`w${worker}`))));
      const tasks = batches.flatMap((batch) => batch.tasks);
      const { rows } = await database.pool.query<{ active: number }>(`select count(*)::int as active from engine_tasks where queue = 'capped' and state = 'active'`);
      expect(rows[0]!.active).toBe(5);
      expect((await engine.counts('capped')).active).toBe(5);
      // Finish them all, freeing the slots for the next round.
      const held = await database.pool.query<{ id: string; lease_token: string }>(`select id, lease_token from engine_tasks where queue = 'capped' and state = 'active'`);
      expect(tasks.length).toBeLessThanOrEqual(5);
      await engine.acknowledge('capped', held.rows.map((row) => ({ id: row.id, token: Number(row.lease_token), status: 'succeeded' as const })));
    }
    expect((await engine.counts('capped')).succeeded).toBe(50);
  });

  it('starts at most the rate limit per window across concurrent claims', async () => {
    await engine.defineQueue(queueDefinition({ name: 'limited', engine: 'postgres', rateLimit: { max: 6, intervalMs: 60_000 } }));
    await engine.enqueueBulk('limited', Array.from({ length: 50 }, () => ({ type: 't' })));
    const batches = await Promise.all(Array.from({ length: 8 }, (_, worker) => engine.claim('limited', claimer(`w${worker}`))));
    expect(batches.reduce((sum, batch) => sum + batch.tasks.length, 0)).toBe(6);
    expect(batches.filter((batch) => batch.tasks.length < 7).every((batch) => batch.nextDueAt !== null)).toBe(true);
  });
});
