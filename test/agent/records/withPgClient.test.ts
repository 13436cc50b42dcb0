import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPgClient } from '../../../agent/records/withPgClient.js';
import { scratchDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await scratchDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('withPgClient', () => {
  it('lends one client for the whole callback and answers its result', async () => {
    const pids = await withPgClient(pool, async (client) => {
      const first = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const second = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      return [first.rows[0]?.pid, second.rows[0]?.pid];
    });

    expect(pids[0]).toEqual(expect.any(Number));
    expect(pids[1]).toBe(pids[0]);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('gives the client back when the callback throws', async () => {
    const failure = new Error('callback broke');

    await expect(withPgClient(pool, async () => Promise.reject(failure))).rejects.toBe(failure);

    // The pool holds one client: were it leaked, this would wait forever.
    expect(await withPgClient(pool, async (client) => (await client.query<{ one: number }>('select 1 as one')).rows[0]?.one)).toBe(1);
  });
});
