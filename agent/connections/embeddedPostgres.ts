import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: give it to a `pg.Pool` with `max: 1`. */
  url: string;
  /** Stops the server and closes the database (its files stay for the next start). */
  close(): Promise<void>;
}

/**
 * Clients the socket server accepts at once. PGlite is one backend: the server runs one protocol
 * message at a time and keeps an open transaction to the client that began it, but every client
 * shares the one session. So the agent's pool on it must have `max: 1` (several clients could
 * interleave their extended-protocol messages); the spare slots only let a short-lived client
 * (a start-up probe, a migration run) overlap the pool while it winds down.
 */
const maxConnections = 4;

/**
 * PGlite (Postgres compiled to WebAssembly) with its data in `dataDirectory`, served on a
 * loopback port so the agent reaches it with plain `pg` like any PostgreSQL server, and the
 * engine and records code are the same. The embedded default: no `DATABASE_URL` → this.
 * See docs/engine-postgres.md ("PGlite").
 */
export async function startEmbeddedPostgres({ dataDirectory }: { dataDirectory: string }): Promise<EmbeddedPostgres> {
  await mkdir(dataDirectory, { recursive: true });
  const db = await PGlite.create(dataDirectory);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
