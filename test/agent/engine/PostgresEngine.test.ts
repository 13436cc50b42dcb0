import { PostgresEngine } from '../../../agent/engine/postgres/PostgresEngine.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { engineContract } from './engineContract.js';

engineContract('postgres', async () => {
  const database = await migratedDatabase();
  const engine = new PostgresEngine({ pool: database.pool });
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      await database.close();
    },
  };
});
