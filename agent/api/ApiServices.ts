import type { Logger } from 'pino';
import type { AgentInfo } from '../../shared/api/schemas/info.js';
import type { Engine } from '../engine/Engine.js';
import type { EventHub } from './events/EventHub.js';
import type { AgentMetrics } from '../metrics/AgentMetrics.js';
import type { QueueCatalog } from '../queues/QueueCatalog.js';
import type { TaskHistory } from '../records/TaskHistory.js';
import type { TaskSearch } from '../tasks/TaskSearch.js';
import type { ScheduleStore } from '../schedules/ScheduleStore.js';
import type { AccessTokens } from '../security/AccessTokens.js';
import type { ApiKeyRateLimiter } from '../security/ApiKeyRateLimiter.js';
import type { ApiKeys } from '../security/ApiKeys.js';
import type { AuditLog } from '../security/AuditLog.js';
import type { LoginThrottle } from '../security/LoginThrottle.js';
import type { RefreshTokens } from '../security/RefreshTokens.js';
import type { SetupToken } from '../security/SetupToken.js';
import type { UserStore } from '../security/UserStore.js';
import type { WorkerRegistry } from '../worker/WorkerRegistry.js';
import type { RunEngine } from '../workflows/RunEngine.js';
import type { RunStore } from '../workflows/RunStore.js';
import type { WorkflowStore } from '../workflows/WorkflowStore.js';

/** What the API's handlers work with; the composition root (`start.ts`) builds it once. */
export interface ApiServices {
  engine: Engine;
  queues: QueueCatalog;
  workers: WorkerRegistry;
  users: UserStore;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  apiKeys: ApiKeys;
  apiKeyLimiter: ApiKeyRateLimiter;
  audit: AuditLog;
  loginThrottle: LoginThrottle;
  setupToken: SetupToken;
  metrics: AgentMetrics;
  history: TaskHistory;
  search: TaskSearch;
  schedules: ScheduleStore;
  workflows: WorkflowStore;
  runs: RunStore;
  runEngine: RunEngine;
  /** The event stream's hub: every socket's subscriptions and the sources feeding them (docs/events.md). */
  events: EventHub;
  /** What this agent is and runs on, now (`GET /info`, `/health/ready`). */
  info(): AgentInfo;
  log: Logger;
}
