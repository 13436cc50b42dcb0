import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { engineContract } from './engineContract.js';

engineContract('redis', async () => {
  const { redis, prefix, cleanup } = await isolatedRedis();
  const engine = new RedisEngine({ redis, prefix });
  return {
    engine,
    cleanup: async () => {
      await engine.close();
      await cleanup();
    },
  };
});
