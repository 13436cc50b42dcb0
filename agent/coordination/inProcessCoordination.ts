import { InProcessEventBus } from '../api/events/InProcessEventBus.js';
import { InMemoryApiKeyRateLimiter } from '../security/InMemoryApiKeyRateLimiter.js';
import { InMemoryLoginThrottle } from '../security/InMemoryLoginThrottle.js';
import { InMemoryWorkerRegistry } from '../worker/InMemoryWorkerRegistry.js';
import type { Coordination, CoordinationOptions } from './Coordination.js';
import { InProcessLeaderLease } from './InProcessLeaderLease.js';

/**
 * Coordination of a lone agent without Redis: it is the whole cluster, so it always leads, and
 * events, counters and the worker registry stay in its memory (lost on restart, like Redis
 * without persistence; the records are in Postgres either way). Starts the leader lease.
 */
export async function inProcessCoordination({ agentId, apiKeyRateLimit, log }: CoordinationOptions): Promise<Coordination> {
  const leader = new InProcessLeaderLease({
    holderId: agentId,
    onChange: (isLeader) =>
      log.info({ agentId }, isLeader ? 'is the leader: without Redis this agent is the whole cluster (coordination in-process)' : 'is no longer the leader'),
  });
  await leader.start();
  const bus = new InProcessEventBus({ log });
  return {
    kind: 'in-process',
    leader,
    bus,
    workers: new InMemoryWorkerRegistry(),
    loginThrottle: new InMemoryLoginThrottle(),
    apiKeyLimiter: new InMemoryApiKeyRateLimiter({ perSecond: apiKeyRateLimit }),
    checks: [],
    close: async () => {
      await bus.close();
      await leader.close();
    },
  };
}
