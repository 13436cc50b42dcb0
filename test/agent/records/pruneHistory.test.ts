import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBackoff, type Task } from '../../../shared/task.js';
import { insertHistory } from '../../../agent/records/insertHistory.js';
import { pruneHistory } from '../../../agent/records/pruneHistory.js';
import { migratedDatabase } from '../../helpers/postgres.js';

const day = 24 * 3_600_000;

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await migratedDatabase();
  pool = database.pool;
});

afterAll(async () => {
  await database?.close();
});

/** Archives one task per age, in days before now, and answers their ids in the same order. */
async function archive(queue: string, ages: number[]): Promise<string[]> {
  const now = Date.now();
  const tasks = ages.map((age): Task => {
    const finishedAt = now - age * day;
    return {
      id: randomUUID(),
      queue,
      type: 'cleanup',
      payload: null,
      state: 'succeeded',
      priority: 5,
      runAt: finishedAt,
      attempts: 1,
      maxAttempts: 3,
      timeoutMs: 30_000,
      backoff: defaultBackoff,
      idempotencyKey: null,
      traceParent: null,
      createdAt: finishedAt,
      startedAt: finishedAt,
      finishedAt,
      result: null,
      error: null,
      history: [],
    };
  });
  await insertHistory(pool, tasks, 'all');
  return tasks.map((task) => task.id);
}

async function idsOf(queue: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('select id from task_history where queue = $1 order by finished_at', [queue]);
  return rows.map((row) => row.id);
}

describe('pruneHistory', () => {
  it('deletes rows older than maxAgeMs, only of its queue', async () => {
    const [old, older, recent] = await archive('aged', [31, 45, 2]);
    const neighbour = await archive('aged-neighbour', [90]);

    expect(await pruneHistory(pool, 'aged', { maxAgeMs: 30 * day, maxCount: 1_000 })).toBe(2);

    expect(await idsOf('aged')).toEqual([recent]);
    expect(await idsOf('aged')).not.toContain(old);
    expect(await idsOf('aged')).not.toContain(older);
    expect(await idsOf('aged-neighbour')).toEqual(neighbour);
  });

  it('keeps only the newest maxCount rows, deleting oldest first in batches', async () => {
    const ids = await archive('counted', [1, 2, 3, 4, 5, 6, 7]);

    expect(await pruneHistory(pool, 'counted', { maxAgeMs: 30 * day, maxCount: 3 }, { batchSize: 2 })).toBe(4);

    expect(await idsOf('counted')).toEqual(ids.slice(0, 3).reverse());
  });

  it('keeps exactly maxCount rows when several finished in the same millisecond', async () => {
    await archive('ties', [1, 1, 1, 1, 1]);

    expect(await pruneHistory(pool, 'ties', { maxAgeMs: 30 * day, maxCount: 2 })).toBe(3);
    expect(await idsOf('ties')).toHaveLength(2);
  });

  it('deletes nothing within the policy', async () => {
    const ids = await archive('within', [1, 2]);

    expect(await pruneHistory(pool, 'within', { maxAgeMs: 30 * day, maxCount: 2 })).toBe(0);
    expect(await idsOf('within')).toEqual([...ids].reverse());
  });
});
