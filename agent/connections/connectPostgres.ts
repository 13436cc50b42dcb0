import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from '../config/ConfigError.js';
import { redactUrl } from './connectRedis.js';

const setting = '--database (DATABASE_URL)';

/** Postgres' code for "database does not exist". */
const missingDatabase = '3D000';

/**
 * A pool for the agent's records. When the database itself does not exist yet, it is created
 * (the server must let this user create databases); anything else unreachable is a ConfigError.
 * `max`: connections the pool may open (default 10; 1 on embedded PGlite).
 */
export async function connectPostgres(url: string, log: Pick<Logger, 'info'>, { max = 10 }: { max?: number } = {}): Promise<pg.Pool> {
  try {
    await probe(url);
  } catch (error) {
    if ((error as { code?: string }).code !== missingDatabase) throw unreachable(url, error);
    await createDatabase(url, log);
  }
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}

async function probe(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(url: string, log: Pick<Logger, 'info'>): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`create database ${pg.escapeIdentifier(name)}`);
    log.info({ database: name }, 'created the database');
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return; // created by another agent meanwhile
    throw unreachable(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function unreachable(url: string, error: unknown): ConfigError {
  return new ConfigError(setting, `cannot use the database at ${redactUrl(url)}: ${(error as Error).message}`);
}
