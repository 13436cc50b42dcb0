import type { Logger } from 'pino';
import type { CoordinationKind } from '../../shared/api/schemas/info.js';
import type { EventBus } from '../api/events/EventBus.js';
import type { HealthCheck } from '../server/healthRoutes.js';
import type { ApiKeyRateLimiter } from '../security/ApiKeyRateLimiter.js';
import type { LoginThrottle } from '../security/LoginThrottle.js';
import type { WorkerRegistry } from '../worker/WorkerRegistry.js';
import type { LeaderLease } from './LeaderLease.js';

/**
 * Everything agents of one cluster agree on, chosen once at the composition root: over Redis
 * when the agent has it (`redisCoordination`), inside this one process when it does not
 * (`inProcessCoordination`). The rest of the agent sees only these interfaces.
 */
export interface Coordination {
  kind: CoordinationKind;
  leader: LeaderLease;
  /** Audit entries and archived tasks, to every agent's event streams. */
  bus: EventBus;
  workers: WorkerRegistry;
  loginThrottle: LoginThrottle;
  apiKeyLimiter: ApiKeyRateLimiter;
  /** What `/health/ready` checks for it (none in-process). */
  checks: HealthCheck[];
  /** Gives up the lease and closes the bus (the connections are the caller's). */
  close(): Promise<void>;
}

export interface CoordinationOptions {
  agentId: string;
  /** Requests per second per API key; 0 for none. */
  apiKeyRateLimit: number;
  log: Pick<Logger, 'info' | 'warn' | 'debug'>;
}
