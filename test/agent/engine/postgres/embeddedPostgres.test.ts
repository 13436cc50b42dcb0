import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../../agent/connections/embeddedPostgres.js';

describe('startEmbeddedPostgres', () => {
  it('serves PGlite to plain pg and keeps its data in the directory across restarts', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'switchyard-pglite-'));
    try {
      const first = await startEmbeddedPostgres({ dataDirectory });
      const pool = new pg.Pool({ connectionString: first.url, max: 1 });
      await pool.query('create table kept (note text)');
      await pool.query('insert into kept values ($1)', ['survives']);
      await pool.end();
      await first.close();

      const second = await startEmbeddedPostgres({ dataDirectory });
      const client = new pg.Client({ connectionString: second.url });
      await client.connect();
      expect((await client.query('select note from kept')).rows).toEqual([{ note: 'survives' }]);
      await client.end();
      await second.close();
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });
});
