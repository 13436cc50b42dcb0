import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../shared/api/client.js';
import { refused } from '../helpers/apiErrors.js';
import { until } from '../helpers/until.js';

const main = fileURLToPath(new URL('../../agent/main.ts', import.meta.url));

/** `switchyard agent` as `npm start` runs it on a fresh machine: no REDIS_URL, no DATABASE_URL. */
async function startEmbedded(dataDirectory: string, flags: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'agent', '--port', '0', '--log-level', 'warn', ...flags], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, SWITCHYARD_DATA_DIR: dataDirectory },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await until(() => /is running at (http:\/\/\S+)/.exec(stdout)?.[1], { timeoutMs: 30_000, message: `the agent to start (stderr: ${stderr})` });
  return {
    url,
    stdout: () => stdout,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the embedded agent (npm start on a fresh machine)', () => {
  let target: Server;
  let targetUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    target = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => target.close(resolve));
  });

  it('prints its URL and setup token, keeps its tasks across a restart, then runs them', async () => {
    const dataDirectory = await mkdtemp(join(tmpdir(), 'sy-embedded-'));
    const password = 'correct horse battery staple';
    let client: ApiClient;

    // First start: no worker, so the task waits for the second start.
    const first = await startEmbedded(dataDirectory, ['--no-worker']);
    let stopped = false;
    let id: string;
    try {
      expect(first.stdout()).toMatch(/Switchyard agent agent-\w+ is running at http:\/\/127\.0\.0\.1:\d+ \(embedded/);
      const token = /one-time setup token: (\S+)/.exec(first.stdout())?.[1];
      expect(token).toBeDefined();

      const anonymous = createApiClient({ baseUrl: first.url });
      await anonymous.call('setup.createAdmin', { body: { token: token!, username: 'owner', password } });
      const session = await anonymous.call('auth.login', { body: { username: 'owner', password } });
      client = createApiClient({ baseUrl: first.url, authorization: () => `Bearer ${session.accessToken}` });

      expect(await client.call('info.get', {})).toMatchObject({ engines: ['postgres'], defaultEngine: 'postgres', storage: 'pglite', coordination: 'in-process', leader: true });
      const ready = await fetch(`${first.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { pglite: 'ok' }, engines: ['postgres'], storage: 'pglite', coordination: 'in-process' });

      const noRedis = await refused(client.call('queues.create', { body: { name: 'fast', engine: 'redis' } }), 400, 'body.engine');
      expect(noRedis.message).toContain('available: postgres');
      const created = await client.call('queues.create', { body: { name: 'kept' } });
      expect(created.definition.engine).toBe('postgres');
      ({ id } = await client.call('tasks.enqueue', { params: { name: 'kept' }, body: { type: 'http.request', payload: { method: 'POST', url: `${targetUrl}/after-restart` } } }));
      expect((await client.call('queues.get', { params: { name: 'kept' } })).counts.queued).toBe(1);

      expect(await first.stop()).toBe(0);
      stopped = true;
    } finally {
      if (!stopped) await first.stop();
    }

    // Second start on the same data directory: the same agent, no new token, the task still there, and it runs.
    const second = await startEmbedded(dataDirectory);
    try {
      expect(second.stdout()).not.toContain('setup token');
      const session = await createApiClient({ baseUrl: second.url }).call('auth.login', { body: { username: 'owner', password } });
      client = createApiClient({ baseUrl: second.url, authorization: () => `Bearer ${session.accessToken}` });
      await until(async () => (await client.call('tasks.get', { params: { name: 'kept', id: id! } })).state === 'succeeded', { timeoutMs: 20_000, message: 'the kept task to run' });
      expect(received).toContain('POST /after-restart');
      expect((await client.call('queues.list', {})).queues.map((queue) => [queue.definition.name, queue.definition.engine])).toEqual([['kept', 'postgres']]);
    } finally {
      expect(await second.stop()).toBe(0);
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });
});
