/**
 * Scratch storage for the systems under test. Redis is shared with other people's tests, so a
 * system's keys are deleted by prefix (SCAN + UNLINK), never by FLUSHALL; each system that needs
 * PostgreSQL gets its own database, dropped and created again on every reset.
 */
import type { Redis } from 'ioredis';
import pg from 'pg';

/** Deletes every key that starts with `prefix`. */
export async function deleteKeysByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseNamePattern = /^[a-z_][a-z0-9_]*$/;

/** Drops database `name` (closing its sessions) and creates it empty. */
export async function recreateDatabase(adminUrl: string, name: string): Promise<string> {
  if (!databaseNamePattern.test(name)) throw new Error(`bad scratch database name ${name}`);
  await withAdmin(adminUrl, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!databaseNamePattern.test(name)) throw new Error(`bad scratch database name ${name}`);
  await withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
}
