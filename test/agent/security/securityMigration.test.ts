import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  database = await migratedDatabase();
  pool = database.pool;
});

afterAll(async () => {
  await database?.close();
});

async function appendRow(): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into audit_log (actor_kind, actor_id, actor_name, action, target) values ('system', 'test', 'test', 'test.run', 'x') returning id`,
  );
  return rows[0]!.id;
}

describe('0002_security', () => {
  it('creates the security tables', async () => {
    const { rows } = await pool.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`,
    );
    expect(rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(['api_keys', 'audit_log', 'refresh_tokens', 'setup_tokens', 'signing_keys', 'users']),
    );
    const applied = await pool.query<{ version: number; name: string }>('select version, name from schema_migrations order by version');
    expect(applied.rows).toContainEqual({ version: 2, name: 'security' });
  });

  it('keeps the audit log append-only: update, delete and truncate are refused', async () => {
    const id = await appendRow();

    await expect(pool.query(`update audit_log set action = 'forged' where id = $1`, [id])).rejects.toThrow(/audit_log is append-only: UPDATE/);
    await expect(pool.query(`delete from audit_log where id = $1`, [id])).rejects.toThrow(/audit_log is append-only: DELETE/);
    await expect(pool.query(`truncate audit_log`)).rejects.toThrow(/audit_log is append-only: TRUNCATE/);
    const { rows } = await pool.query<{ action: string }>('select action from audit_log where id = $1', [id]);
    expect(rows).toEqual([{ action: 'test.run' }]);
  });

  it('refuses a second setup token row and an unknown role', async () => {
    await pool.query(`insert into setup_tokens (secret_hash) values ('\\x00')`);
    await expect(pool.query(`insert into setup_tokens (id, secret_hash) values (2, '\\x00')`)).rejects.toThrow(/setup_tokens_id_check/);
    await expect(pool.query(`insert into users (username, password_hash, role) values ('x', 'h', 'root')`)).rejects.toThrow(/users_role_check/);
    await expect(pool.query(`insert into users (username, password_hash, role) values ('Upper', 'h', 'admin')`)).rejects.toThrow(/users_username_check/);
  });
});
