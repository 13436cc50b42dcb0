import type { Redis } from 'ioredis';
import { RedisEventBus } from '../api/events/RedisEventBus.js';
import { RedisApiKeyRateLimiter } from '../security/RedisApiKeyRateLimiter.js';
import { RedisLoginThrottle } from '../security/RedisLoginThrottle.js';
import { RedisWorkerRegistry } from '../worker/RedisWorkerRegistry.js';
import type { Coordination, CoordinationOptions } from './Coordination.js';
import { RedisLeaderLease } from './RedisLeaderLease.js';

/** Coordination over Redis, under the agent's key prefix, shared with every agent on that Redis. Starts the leader lease. */
export async function redisCoordination(redis: Redis, prefix: string, { agentId, apiKeyRateLimit, log }: CoordinationOptions): Promise<Coordination> {
  const leader = new RedisLeaderLease({
    redis,
    prefix,
    holderId: agentId,
    onChange: (isLeader) => log.info({ agentId }, isLeader ? 'became the leader' : 'is no longer the leader'),
  });
  await leader.start();
  const bus = new RedisEventBus({ publisher: redis, subscriber: redis.duplicate(), prefix, log });
  return {
    kind: 'redis',
    leader,
    bus,
    workers: new RedisWorkerRegistry({ redis, prefix }),
    loginThrottle: new RedisLoginThrottle({ redis, prefix }),
    apiKeyLimiter: new RedisApiKeyRateLimiter({ redis, prefix, perSecond: apiKeyRateLimit }),
    checks: [{ name: 'redis', check: async () => void (await redis.ping()) }],
    close: async () => {
      await bus.close();
      await leader.close();
    },
  };
}
