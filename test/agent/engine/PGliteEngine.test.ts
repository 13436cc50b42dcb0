import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../../agent/connections/embeddedPostgres.js';
import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { migrate } from '../../../agent/records/migrate.js';
import { engineContract } from './engineContract.js';

engineContract('pglite', async () => {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'switchyard-pglite-'));
  const embedded = await startEmbeddedPostgres({ dataDirectory });
  const pool = new pg.Pool({ connectionString: embedded.url, max: 1 });
  await migrate(pool, { log: pino({ level: 'silent' }) });
  const engine = new PostgresEngine({ pool });
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      await pool.end();
      await embedded.close();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
});
