import type { Logger } from 'pino';
import type { Engine } from '../engine/Engine.js';
import type { QueueCatalog } from '../queues/QueueCatalog.js';
import type { AccessTokens } from '../security/AccessTokens.js';
import type { ApiKeys } from '../security/ApiKeys.js';
import type { AuditLog } from '../security/AuditLog.js';
import type { LoginThrottle } from '../security/LoginThrottle.js';
import type { RefreshTokens } from '../security/RefreshTokens.js';
import type { SetupToken } from '../security/SetupToken.js';
import type { UserStore } from '../security/UserStore.js';
import type { WorkerRegistry } from '../worker/WorkerRegistry.js';

/** What the API's handlers work with; the composition root (`start.ts`) builds it once. */
export interface ApiServices {
  engine: Engine;
  queues: QueueCatalog;
  workers: WorkerRegistry;
  users: UserStore;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  apiKeys: ApiKeys;
  audit: AuditLog;
  loginThrottle: LoginThrottle;
  setupToken: SetupToken;
  log: Logger;
}
