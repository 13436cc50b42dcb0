/**
 * The main process's services composed as `index.ts` composes them, in plain Node: the registry
 * and keychain (a private GNOME Keyring), the gateway, the health monitor and This computer — a
 * real embedded agent child on a fresh data folder (PGlite, no Redis). What Electron adds on top
 * (windows, tray, `ipcMain`) is glue over these objects.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterHandlers } from '../../../electron/main/ipc/clusterHandlers.js';
import { repositoryAgentCommand } from '../../../electron/main/localAgent/localAgentCommand.js';
import { localAgentFlags, localClusterName } from '../../../electron/main/localAgent/localCluster.js';
import { startDesktopServices, type DesktopServices } from '../../../electron/main/startDesktopServices.js';
import { localClusterId, type ClusterView } from '../../../shared/clusters.js';
import { clusterBaseUrl, gatewaySecretHeader } from '../../../shared/gateway.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { until } from '../../helpers/until.js';

const root = resolve(import.meta.dirname, '../../..');
const skipReason = keyringSkipReason();
if (skipReason) console.warn(`startDesktopServices.test.ts: ${skipReason}`);

describe.skipIf(skipReason !== '')(`the desktop services with This computer${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let userData: string;
  let services: DesktopServices;
  const pushed: ClusterView[][] = [];
  const problems: string[] = [];
  const saved = { DATABASE_URL: process.env['DATABASE_URL'], REDIS_URL: process.env['REDIS_URL'] };

  const start = () =>
    startDesktopServices({
      userData,
      localAgent: { command: repositoryAgentCommand(root, process.execPath), flags: ['--log-level', 'warn'] },
      healthIntervalMs: 200,
      onClusters: (clusters) => pushed.push(clusters),
      onLocalAgentProblem: (problem) => problems.push(problem),
    });
  const local = () => services.service.list().find((cluster) => cluster.profile.id === localClusterId);
  const throughGateway = (path: string) => fetch(`${clusterBaseUrl(services.gateway.origin, localClusterId)}${path}`, { headers: { [gatewaySecretHeader]: services.gateway.secret } });

  beforeAll(async () => {
    delete process.env['DATABASE_URL'];
    delete process.env['REDIS_URL'];
    keyring = await startKeyring();
    userData = await mkdtemp(join(tmpdir(), 'switchyard-desktop-'));
    services = await start();
  }, 120_000);
  afterAll(async () => {
    await services?.close();
    await keyring?.close();
    Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, value]) => value !== undefined)));
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  it('shows the embedded agent as This computer, checked by the health monitor', async () => {
    expect(services.localAgent?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local()).toMatchObject({ profile: { name: localClusterName, connection: { kind: 'direct', url: services.localAgent!.url } }, credential: 'none' });
    await until(() => local()?.health.state === 'up', { timeoutMs: 20_000, message: 'This computer up' });
    await until(() => pushed.at(-1)?.find((cluster) => cluster.profile.id === localClusterId)?.health.state === 'up', { message: 'the change pushed to the windows' });
    // Nobody signed in yet: the gateway says so without asking the agent.
    expect((await throughGateway('/api/v1/info')).status).toBe(401);
    expect(problems).toEqual([]);
  });

  it('sets up the first admin with the token only the main process holds', async () => {
    const token = services.setupToken(localClusterId);
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(services.setupToken('elsewhere')).toBeNull();
    expect(JSON.stringify(services.service.list())).not.toContain(token);
    const handlers = clusterHandlers({ service: services.service, setupToken: services.setupToken, chooseExportPath: async () => null, chooseImportPath: async () => null });
    const answer = await handlers['clusters:setUp']([localClusterId, { username: 'me', password: 'a long enough password' }]);
    expect(answer).toMatchObject({ ok: true, value: { credential: 'session' } });
    const info = await throughGateway('/api/v1/info');
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ storage: 'pglite', coordination: 'in-process' });
    await until(() => local()?.health.agentVersion, { message: 'the agent version, read with the new session' });
    expect(local()?.health).toMatchObject({ state: 'up', dead: 0 });
  });

  it('keeps the profile and its session across an app restart, and stops the agent at close', async () => {
    const firstUrl = services.localAgent!.url!;
    const pid = services.localAgent!.pid!;
    await services.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`${firstUrl}/api/v1/info`)).rejects.toThrow();
    services = await start();
    expect(services.service.list().filter((cluster) => cluster.profile.id === localClusterId)).toHaveLength(1);
    expect(local()).toMatchObject({ credential: 'session', profile: { connection: { url: services.localAgent!.url } } });
    expect(services.setupToken(localClusterId)).toBeNull();
    expect((await throughGateway('/api/v1/info')).status).toBe(200);
  }, 120_000);

  it('reads the flags npm start passes through the launcher', () => {
    expect(localAgentFlags({ SWITCHYARD_LOCAL_AGENT_FLAGS: JSON.stringify(['--redis', 'redis://127.0.0.1:6379']) })).toEqual(['--redis', 'redis://127.0.0.1:6379']);
    expect(localAgentFlags({})).toEqual([]);
    expect(localAgentFlags({ SWITCHYARD_LOCAL_AGENT_FLAGS: '{"not":"a list"}' })).toEqual([]);
    expect(localAgentFlags({ SWITCHYARD_LOCAL_AGENT_FLAGS: '[1]' })).toEqual([]);
  });
});
