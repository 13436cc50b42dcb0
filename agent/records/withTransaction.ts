import type pg from 'pg';
import { withPgClient } from './withPgClient.js';

/**
 * Runs `callback` inside one transaction on a client checked out of `pool` (see `withPgClient`):
 * `begin`, the callback, `commit`. If the callback or the commit throws, the transaction is rolled
 * back and the error re-thrown. A rollback fails only when the connection is gone; the pool then
 * discards the client rather than hand it to the next caller, and the callback's error is the one
 * thrown.
 */
export async function withTransaction<T>(pool: pg.Pool, callback: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withPgClient(pool, async (client) => {
    await client.query('begin');
    try {
      const result = await callback(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  });
}
