import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../../agent/records/withTransaction.js';
import { scratchDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof scratchDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await scratchDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await pool.query('create table notes (text text not null)');
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function notes(): Promise<string[]> {
  return (await pool.query<{ text: string }>('select text from notes order by text')).rows.map((row) => row.text);
}

describe('withTransaction', () => {
  it('commits what the callback did and answers its result', async () => {
    const result = await withTransaction(pool, async (client) => {
      await client.query(`insert into notes values ('kept')`);
      return 42;
    });

    expect(result).toBe(42);
    expect(await notes()).toContain('kept');
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('rolls back and re-throws when the callback throws', async () => {
    const failure = new Error('handler broke');

    await expect(
      withTransaction(pool, async (client) => {
        await client.query(`insert into notes values ('dropped')`);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await notes()).not.toContain('dropped');
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('gives clients back even when every statement fails', async () => {
    for (let round = 0; round < 5; round += 1) {
      await expect(withTransaction(pool, (client) => client.query('select * from no_such_table'))).rejects.toThrow(/no_such_table/);
    }
    // With max 2 clients, a leaked client would make this wait forever.
    expect(await withTransaction(pool, async () => 'free')).toBe('free');
  });

  it('survives losing its connection mid-transaction and discards that client', async () => {
    const error = await withTransaction(pool, async (client) => {
      await client.query('select pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
      return 'unreachable';
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect(await withTransaction(pool, async (client) => (await client.query<{ one: number }>('select 1 as one')).rows[0]?.one)).toBe(1);
  });
});
