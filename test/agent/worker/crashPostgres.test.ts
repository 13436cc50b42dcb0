import { expect } from 'vitest';
import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { crashContract } from './crashContract.js';

crashContract('postgres', async () => {
  const database = await migratedDatabase();
  const engine = new PostgresEngine({ pool: database.pool });
  // The fixture worker counts runs in Redis for either engine.
  const { redis, prefix, cleanup } = await isolatedRedis();
  return {
    engine,
    target: { engine: 'postgres', databaseUrl: database.url, prefix },
    redis,
    prefix,
    afterAllSucceeded: async (queue) => {
      const { rows } = await database.pool.query<{ states: string }>(`select string_agg(distinct state, ',') as states from engine_tasks where queue = $1`, [queue]);
      expect(rows[0]?.states).toBe('succeeded');
    },
    cleanup: async () => {
      await engine.close();
      await database.close();
      await cleanup();
    },
  };
});
