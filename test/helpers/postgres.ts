import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../agent/connections/embeddedPostgres.js';
import { migrate } from '../../agent/records/migrate.js';
import { until } from './until.js';

export const postgresAdminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new, empty database for one test file; `drop()` removes it. */
export async function scratchDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `sytest_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      try {
        // pg's Pool.end() resolves before its sockets have closed; terminating those backends
        // (drop … with force) would surface in the closing clients as uncaught errors. Wait for
        // them to go, and force only what is still there after the deadline.
        await until(
          async () => (await client.query<{ open: number }>('select count(*)::int as open from pg_stat_activity where datname = $1', [name])).rows[0]?.open === 0,
          { timeoutMs: 5_000, message: `connections to ${name} to close` },
        ).catch(() => undefined);
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A scratch database with the real migrations applied and a pool on it; `close()` ends both. */
export async function migratedDatabase(): Promise<{ url: string; pool: pg.Pool; close: () => Promise<void> }> {
  const database = await scratchDatabase();
  const pool = new pg.Pool({ connectionString: database.url });
  await migrate(pool, { log: pino({ level: 'silent' }) });
  return {
    url: database.url,
    pool,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

/**
 * A migrated embedded PGlite database (the agent's default without a PostgreSQL URL) in a
 * temporary directory, served on loopback, with a one-connection pool as the agent uses;
 * `close` stops it and removes the directory.
 */
export async function migratedEmbeddedDatabase(): Promise<{ url: string; pool: pg.Pool; close: () => Promise<void> }> {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'switchyard-pglite-'));
  const embedded = await startEmbeddedPostgres({ dataDirectory });
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  await migrate(pool, { log: pino({ level: 'silent' }) });
  return {
    url: embedded.url,
    pool,
    close: async () => {
      await pool.end();
      await embedded.close();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}
