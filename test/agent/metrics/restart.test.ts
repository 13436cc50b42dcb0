import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgentConfig, start, type Agent } from '../../../agent/index.js';
import { UserStore } from '../../../agent/security/UserStore.js';
import { createApiClient, type ApiClient } from '../../../shared/api/client.js';
import type { MetricPoint } from '../../../shared/api/schemas/metrics.js';
import { queueDefinition } from '../../../shared/queue.js';
import { scratchDatabase } from '../../helpers/postgres.js';
import { isolatedRedis, redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

/** The metrics history lives in Postgres: an agent started after another one stopped reads its points. */
describe('metrics history across an agent restart', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: Awaited<ReturnType<typeof isolatedRedis>>;
  let dataDir: string;
  const running: Agent[] = [];

  beforeAll(async () => {
    database = await scratchDatabase();
    redis = await isolatedRedis();
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-'));
  });
  afterAll(async () => {
    for (const agent of running.splice(0)) await agent.close();
    await redis?.cleanup();
    await database?.drop();
  });

  /** An agent on the shared database and Redis prefix, and a viewer's client for it. */
  async function startAgent(): Promise<{ agent: Agent; viewer: ApiClient }> {
    const config = readAgentConfig({ redis: redisUrl, redisPrefix: redis.prefix, database: database.url, port: '0', dataDir, worker: false }, {});
    const agent = await start(config, { log: pino({ level: 'silent' }) });
    running.push(agent);
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const users = new UserStore(pool);
      if ((await users.list()).length === 0) await users.create({ username: 'viewer', password: 'correct horse battery viewer', role: 'viewer' });
    } finally {
      await pool.end();
    }
    const anonymous = createApiClient({ baseUrl: agent.url });
    const { accessToken } = await anonymous.call('auth.login', { body: { username: 'viewer', password: 'correct horse battery viewer' } });
    return { agent, viewer: createApiClient({ baseUrl: agent.url, authorization: () => `Bearer ${accessToken}` }) };
  }

  async function pointsOf(viewer: ApiClient): Promise<MetricPoint[]> {
    return (await viewer.call('metrics.queue', { params: { name: 'kept' }, query: { since: 0 } })).points;
  }

  it('a new agent on the same database answers the points the stopped one recorded, and goes on recording', async () => {
    const first = await startAgent();
    await first.agent.queues.define(queueDefinition({ name: 'kept' }));
    await first.agent.engine.enqueueBulk('kept', [{ type: 'report.render' }, { type: 'report.render' }, { type: 'report.render' }]);
    const recorded = await until(async () => {
      const points = await pointsOf(first.viewer);
      return points.some((point) => point.depth === 3) ? points : undefined;
    }, { message: 'points from the first agent' });
    await first.agent.close();
    running.splice(running.indexOf(first.agent), 1);

    const second = await startAgent();
    const read = await pointsOf(second.viewer);
    expect(read.slice(0, recorded.length)).toEqual(recorded);
    const latestBefore = recorded[recorded.length - 1]!.at;
    const later = await until(async () => (await pointsOf(second.viewer)).find((point) => point.at > latestBefore), { message: 'a point from the second agent' });
    expect(later).toMatchObject({ depth: 3, enqueued: 0 });
  });
});
