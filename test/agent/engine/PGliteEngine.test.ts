import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { migratedEmbeddedDatabase } from '../../helpers/postgres.js';
import { engineContract } from './engineContract.js';

engineContract('pglite', async () => {
  const database = await migratedEmbeddedDatabase();
  const engine = new PostgresEngine({ pool: database.pool });
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      await database.close();
    },
  };
});
