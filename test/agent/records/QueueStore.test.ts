import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDefinition } from '../../../shared/queue.js';
import { EngineError } from '../../../agent/engine/EngineError.js';
import { QueueStore } from '../../../agent/records/QueueStore.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let pool: pg.Pool;
let store: QueueStore;

beforeAll(async () => {
  database = await migratedDatabase();
  pool = database.pool;
  store = new QueueStore(pool);
});

afterAll(async () => {
  await database?.close();
});

describe('QueueStore', () => {
  it('creates a queue and reads back the whole definition', async () => {
    const emails = queueDefinition({ name: 'emails', concurrency: 20, rateLimit: { max: 100, intervalMs: 1_000 } });

    expect(await store.upsert(emails)).toBe('created');
    expect(await store.get('emails')).toEqual(emails);
  });

  it('replaces the definition of an existing queue', async () => {
    await store.upsert(queueDefinition({ name: 'reports' }));
    const edited = queueDefinition({ name: 'reports', concurrency: 2, retention: { payload: 'none', maxAgeMs: 60_000, maxCount: 10 } });

    expect(await store.upsert(edited)).toBe('updated');
    expect(await store.get('reports')).toEqual(edited);
    const { rows } = await pool.query<{ later: boolean }>(`select updated_at > created_at as later from queues where name = 'reports'`);
    expect(rows[0]?.later).toBe(true);
  });

  it('refuses to move a queue to another engine', async () => {
    const durable = queueDefinition({ name: 'ledger', engine: 'postgres' });
    await store.upsert(durable);

    const error = await store.upsert({ ...durable, engine: 'redis', concurrency: 1 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'invalid_input', field: 'engine' });
    expect(await store.get('ledger')).toEqual(durable);
  });

  it('answers undefined for a queue it does not know', async () => {
    expect(await store.get('nowhere')).toBeUndefined();
  });

  it('fills settings missing from an older row with their defaults', async () => {
    await pool.query(`insert into queues (name, engine, definition) values ('old', 'redis', '{"name": "old", "concurrency": 3}')`);

    expect(await store.get('old')).toEqual(queueDefinition({ name: 'old', concurrency: 3 }));
  });

  it('lists every queue by name and deletes one', async () => {
    await store.upsert(queueDefinition({ name: 'zeta' }));
    await store.upsert(queueDefinition({ name: 'alpha', engine: 'postgres' }));

    const names = (await store.list()).map((definition) => definition.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['alpha', 'zeta', 'emails']));

    expect(await store.delete('zeta')).toBe(true);
    expect(await store.delete('zeta')).toBe(false);
    expect(await store.get('zeta')).toBeUndefined();
    expect((await store.list()).map((definition) => definition.name)).not.toContain('zeta');
  });
});
