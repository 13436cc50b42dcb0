import type pg from 'pg';

/**
 * Runs `callback` with a client checked out of `pool` and always gives the client back, whether
 * the callback resolves or throws. What acquires, releases: callers never call `release()`.
 *
 * A connection lost while the client is lent out (a Postgres restart, a terminated backend) is
 * reported by pg as an `error` event, which, unheard, would crash the process. It is heard here,
 * and such a client is discarded on release instead of going back to the pool.
 */
export async function withPgClient<T>(pool: pg.Pool, callback: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  try {
    return await callback(client);
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}
