import { RedisEngine } from '../../../agent/engine/redis/RedisEngine.js';
import { isolatedRedis } from '../../helpers/redis.js';
import { crashContract } from './crashContract.js';

crashContract('redis', async () => {
  const { redis, prefix, cleanup } = await isolatedRedis();
  const engine = new RedisEngine({ redis, prefix });
  return {
    engine,
    target: prefix,
    redis,
    prefix,
    cleanup: async () => {
      await engine.close();
      await cleanup();
    },
  };
});
