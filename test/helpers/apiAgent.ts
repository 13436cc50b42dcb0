import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { start, type Agent } from '../../agent/index.js';
import { readAgentConfig } from '../../agent/config/agentConfig.js';
import { UserStore } from '../../agent/security/UserStore.js';
import { createApiClient, type ApiClient } from '../../shared/api/client.js';
import type { Session } from '../../shared/api/schemas/auth.js';
import { roles, type Role } from '../../shared/security/permissions.js';
import { scratchDatabase } from './postgres.js';
import { isolatedRedis, redisUrl } from './redis.js';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
}

/** A real agent on a scratch database and Redis prefix, with one signed-in user per role. */
export interface ApiTestAgent {
  agent: Agent;
  url: string;
  /** The agent's Redis key prefix, for an SDK worker or a second agent on the same cluster. */
  redisPrefix: string;
  /** A pool on the agent's database, for checking what the API wrote. */
  pool: pg.Pool;
  users: Record<Role, TestUser>;
  sessions: Record<Role, Session>;
  /** A client acting as the user of `role`, as an arbitrary `Authorization` header, or as nobody. */
  client(as?: Role | { authorization: string }): ApiClient;
  /** Every line the agent logged, parsed. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export const testPassword = (role: Role) => `correct horse battery ${role}`;

export interface ApiTestAgentOptions {
  /** Flags for `readAgentConfig`, over the test defaults. */
  settings?: Record<string, string | boolean>;
  /** Create and sign in one user per role. Default true; false leaves the agent waiting for its setup token. */
  withUsers?: boolean;
}

export async function startApiTestAgent({ settings = {}, withUsers = true }: ApiTestAgentOptions = {}): Promise<ApiTestAgent> {
  const database = await scratchDatabase();
  const isolated = await isolatedRedis();
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const config = readAgentConfig(
    { redis: redisUrl, redisPrefix: isolated.prefix, database: database.url, port: '0', dataDir: await mkdtemp(join(tmpdir(), 'switchyard-')), worker: false, ...settings },
    {},
  );
  const agent = await start(config, { log });
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const store = new UserStore(pool);
  const users = {} as Record<Role, TestUser>;
  for (const role of withUsers ? roles : []) {
    const created = await store.create({ username: `${role}-user`, password: testPassword(role), role });
    users[role] = { id: created.id, username: created.username, password: testPassword(role), role };
  }
  const anonymous = createApiClient({ baseUrl: agent.url });
  const sessions = {} as Record<Role, Session>;
  for (const role of withUsers ? roles : []) sessions[role] = await anonymous.call('auth.login', { body: { username: users[role].username, password: users[role].password } });

  return {
    agent,
    url: agent.url,
    redisPrefix: isolated.prefix,
    pool,
    users,
    sessions,
    logs,
    client(as) {
      if (as === undefined) return anonymous;
      const authorization = typeof as === 'string' ? `Bearer ${sessions[as].accessToken}` : as.authorization;
      return createApiClient({ baseUrl: agent.url, authorization: () => authorization });
    },
    async close() {
      await agent.close();
      await pool.end();
      await isolated.cleanup();
      await database.drop();
    },
  };
}
