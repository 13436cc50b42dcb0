/**
 * The embedded agent as the desktop app runs it: a real child process (`node --import tsx
 * agent/main.ts agent`) on a fresh data folder, with no DATABASE_URL or REDIS_URL, so it keeps its
 * records in embedded PGlite. The first start of PGlite takes several seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAgent } from '../../../electron/main/localAgent/LocalAgent.js';
import { repositoryAgentCommand } from '../../../electron/main/localAgent/localAgentCommand.js';
import { createApiClient } from '../../../shared/api/client.js';
import { until } from '../../helpers/until.js';

const root = resolve(import.meta.dirname, '../../..');
const saved = { DATABASE_URL: process.env['DATABASE_URL'], REDIS_URL: process.env['REDIS_URL'] };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LocalAgent', () => {
  let dataDirectory: string;
  let agent: LocalAgent;
  const output: string[] = [];

  beforeAll(async () => {
    // The child inherits this environment: keep any DATABASE_URL/REDIS_URL of the test run away from it.
    delete process.env['DATABASE_URL'];
    delete process.env['REDIS_URL'];
    dataDirectory = await mkdtemp(join(tmpdir(), 'switchyard-local-agent-'));
    agent = await LocalAgent.start({
      command: repositoryAgentCommand(root, process.execPath),
      dataDirectory,
      flags: ['--log-level', 'warn'],
      restart: { initialDelayMs: 50 },
      onOutput: (line) => output.push(line),
    });
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('starts on a loopback port and holds the setup token printed on a fresh data folder', async () => {
    expect(agent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(agent.url).not.toBe('http://127.0.0.1:0');
    const token = await until(() => agent.setupToken, { timeoutMs: 10_000, message: 'the setup token' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(output.some((line) => line.includes(token))).toBe(true);
  });

  it('answers /api/v1/info once the setup token created the first admin', async () => {
    const client = createApiClient({ baseUrl: agent.url! });
    const session = await client.call('setup.createAdmin', { body: { token: agent.setupToken!, username: 'me', password: 'a long enough password' } });
    const signedIn = createApiClient({ baseUrl: agent.url!, authorization: () => `Bearer ${session.accessToken}` });
    const info = await signedIn.call('info.get', {});
    expect(info.storage).toBe('pglite');
    expect(info.coordination).toBe('in-process');
  });

  it('is started again on the same port after it was killed', async () => {
    const firstPid = agent.pid!;
    const firstUrl = agent.url;
    const changes: Array<string | null> = [];
    const unsubscribe = agent.onChange((state) => changes.push(state.url));
    process.kill(firstPid, 'SIGKILL');
    await until(() => agent.pid !== null && agent.pid !== firstPid && agent.url !== null, { timeoutMs: 60_000, message: 'the restarted agent' });
    unsubscribe();
    expect(agent.url).toBe(firstUrl);
    expect(changes).toContain(null);
    expect(agent.state.restarts).toBe(1);
    // The first admin exists now, so the restarted agent prints no setup token.
    expect(agent.setupToken).toBeNull();
    const answer = await fetch(`${agent.url}/api/v1/info`);
    expect(answer.status).toBe(401);
  }, 90_000);

  it('stops cleanly and is not started again', async () => {
    const pid = agent.pid!;
    const url = agent.url!;
    await agent.stop();
    expect(isAlive(pid)).toBe(false);
    expect(agent.pid).toBeNull();
    expect(agent.url).toBeNull();
    expect(output.some((line) => line.includes('SIGTERM received'))).toBe(true);
    await expect(fetch(`${url}/api/v1/info`)).rejects.toThrow();
  });
});
