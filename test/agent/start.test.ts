import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Agent } from '../../agent/index.js';
import { readAgentConfig } from '../../agent/config/agentConfig.js';
import { createApiClient } from '../../shared/api/client.js';
import { queueDefinition } from '../../shared/queue.js';
import { scratchDatabase } from '../helpers/postgres.js';
import { isolatedRedis, redisUrl } from '../helpers/redis.js';
import { until } from '../helpers/until.js';
import { pino } from 'pino';

describe('start(config)', () => {
  let agent: Agent;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let redisCleanup: () => Promise<void>;
  let target: Server;
  let targetUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    database = await scratchDatabase();
    const isolated = await isolatedRedis();
    redisCleanup = isolated.cleanup;
    target = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      response.writeHead(request.url === '/fail' ? 500 : 200).end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
    const config = readAgentConfig(
      { redis: redisUrl, redisPrefix: isolated.prefix, database: database.url, port: '0', dataDir: await mkdtemp(join(tmpdir(), 'switchyard-')) },
      {},
    );
    agent = await start(config, { log: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    await agent?.close();
    await redisCleanup();
    await new Promise((resolve) => target.close(resolve));
    await database.drop();
  });

  it('answers health checks naming what it runs on', async () => {
    expect(await (await fetch(`${agent.url}/health/live`)).json()).toEqual({ status: 'live' });
    const ready = await fetch(`${agent.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { redis: 'ok', postgres: 'ok' },
      agentId: agent.agentId,
      engines: ['redis', 'postgres'],
      defaultEngine: 'redis',
      storage: 'postgres',
      coordination: 'redis',
    });
  });

  it('runs an http.request task on a queue created after start, and archives it in Postgres', async () => {
    expect(agent.isLeader()).toBe(true);
    await agent.queues.define(queueDefinition({ name: 'webhooks' }));
    const { id } = await agent.engine.enqueue('webhooks', { type: 'http.request', payload: { method: 'POST', url: `${targetUrl}/hook`, body: { hello: 1 } } });
    await until(async () => (await agent.engine.counts('webhooks')).succeeded === 1, { message: 'the task to succeed' });
    expect(received).toContain('POST /hook');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const row = await until(async () => (await client.query('select state, type, attempts from task_history where id = $1', [id])).rows[0], {
        message: 'the task to be archived',
      });
      expect(row).toEqual({ state: 'succeeded', type: 'http.request', attempts: 1 });
      const queues = await client.query('select name, engine from queues');
      expect(queues.rows).toEqual([{ name: 'webhooks', engine: 'redis' }]);
    } finally {
      await client.end();
    }
  });

  it('works a second queue created later too, and records a failing task as retrying', async () => {
    await agent.queues.define(queueDefinition({ name: 'second' }));
    const { id } = await agent.engine.enqueue('second', { type: 'http.request', payload: { url: `${targetUrl}/fail` }, maxAttempts: 2, backoff: { delayMs: 10, jitter: 0 } });
    const task = await until(async () => {
      const current = await agent.engine.getTask('second', id);
      return current?.state === 'dead' ? current : undefined;
    }, { message: 'the failing task to go dead' });
    expect(task.history.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed']);
    expect(task.error?.message).toContain('500');
  });

  it('names its engines, storage and coordination at GET /api/v1/info', async () => {
    const anonymous = createApiClient({ baseUrl: agent.url });
    await anonymous.call('setup.createAdmin', { body: { token: agent.setupToken!, username: 'owner', password: 'correct horse battery staple' } });
    const session = await anonymous.call('auth.login', { body: { username: 'owner', password: 'correct horse battery staple' } });
    const client = createApiClient({ baseUrl: agent.url, authorization: () => `Bearer ${session.accessToken}` });
    expect(await client.call('info.get', {})).toEqual({
      version: expect.any(String),
      agentId: agent.agentId,
      leader: true,
      engines: ['redis', 'postgres'],
      defaultEngine: 'redis',
      storage: 'postgres',
      coordination: 'redis',
    });
  });

  it('keeps redis and postgres queues side by side: listed and counted together, tasks run on both', async () => {
    const anonymous = createApiClient({ baseUrl: agent.url });
    const session = await anonymous.call('auth.login', { body: { username: 'owner', password: 'correct horse battery staple' } });
    const client = createApiClient({ baseUrl: agent.url, authorization: () => `Bearer ${session.accessToken}` });
    expect((await client.call('queues.create', { body: { name: 'side-default' } })).definition.engine).toBe('redis');
    expect((await client.call('queues.create', { body: { name: 'side-durable', engine: 'postgres' } })).definition.engine).toBe('postgres');
    for (const name of ['side-default', 'side-durable']) {
      await client.call('tasks.enqueue', { params: { name }, body: { type: 'http.request', payload: { url: `${targetUrl}/${name}` } } });
    }
    await until(() => received.includes('GET /side-default') && received.includes('GET /side-durable'), { message: 'a task to run on each engine' });
    // Counted side by side too: nothing left waiting or running on either (done, whether or not archived yet).
    const side = await until(async () => {
      const { queues } = await client.call('queues.list', {});
      const listed = queues.filter((queue) => queue.definition.name.startsWith('side-'));
      return listed.every((queue) => queue.counts.queued === 0 && queue.counts.active === 0) ? listed : undefined;
    }, { message: 'both queues to count their task done' });
    expect(side.map((queue) => [queue.definition.name, queue.definition.engine])).toEqual([
      ['side-default', 'redis'],
      ['side-durable', 'postgres'],
    ]);
    expect((await agent.engine.engineOf('redis').getQueue('side-durable'))).toBeUndefined();
  });
});
