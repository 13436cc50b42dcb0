/**
 * `window.app.clusters` end to end without Electron: the preload's bridge (`createAppBridge`)
 * invoking the main process's handlers (`clusterHandlers`) over the real `ClusterService`, registry
 * file and keychain (a private GNOME Keyring), against a real agent. Only `ipcRenderer`/`ipcMain`
 * are left out: the transport passes the arguments as Electron would, through structured clone.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../../../electron/main/clusters/ClusterRegistry.js';
import { ClusterService } from '../../../electron/main/clusters/ClusterService.js';
import { openDirectUpstream } from '../../../electron/main/gateway/DirectUpstream.js';
import { HealthMonitor } from '../../../electron/main/health/HealthMonitor.js';
import { clusterHandlers } from '../../../electron/main/ipc/clusterHandlers.js';
import { KeychainSecretStore } from '../../../electron/main/secrets/KeychainSecretStore.js';
import { KnownHosts } from '../../../electron/main/ssh/KnownHosts.js';
import { createAppBridge } from '../../../electron/preload/createAppBridge.js';
import type { ClusterView } from '../../../shared/clusters.js';
import { clustersChangedChannel, type AppBridge, type IpcChannel } from '../../../shared/ipc.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { until } from '../../helpers/until.js';

const skipReason = keyringSkipReason();
if (skipReason) console.warn(`appBridge.test.ts: ${skipReason}`);
const colour = '#10b981';

describe.skipIf(skipReason !== '')(`window.app.clusters over the IPC handlers${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let api: ApiTestAgent;
  let fresh: ApiTestAgent;
  let folder: string;
  let service: ClusterService;
  let bridge: AppBridge;
  const invoked: IpcChannel[] = [];
  let dialogPath: string | null = null;

  beforeAll(async () => {
    keyring = await startKeyring();
    [api, fresh] = await Promise.all([startApiTestAgent(), startApiTestAgent({ withUsers: false })]);
    folder = await mkdtemp(join(tmpdir(), 'switchyard-ipc-'));
    const secrets = await KeychainSecretStore.open();
    const health = new HealthMonitor({ targets: () => [] });
    service = await ClusterService.open({
      registry: await ClusterRegistry.open(join(folder, 'clusters.json'), secrets),
      secrets,
      openers: { direct: openDirectUpstream },
      hostKeys: new KnownHosts(join(folder, 'known-ssh-hosts.json')),
      health: (id) => health.health(id),
    });
    const handlers = clusterHandlers({
      service,
      // The main process holds the token of the agent it started; here, the fresh agent's.
      setupToken: (id) => (id === 'fresh' ? fresh.agent.setupToken : null),
      chooseExportPath: async () => dialogPath,
      chooseImportPath: async () => dialogPath,
    });
    const listeners = new Set<(payload: unknown) => void>();
    service.onChange((clusters) => {
      for (const listener of listeners) listener(structuredClone(clusters));
    });
    bridge = createAppBridge('9.9.9', {
      invoke: async (channel, ...args) => {
        invoked.push(channel);
        return structuredClone(await handlers[channel](structuredClone(args)));
      },
      subscribe: (channel, listener) => {
        expect(channel).toBe(clustersChangedChannel);
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([api?.close(), fresh?.close()]);
    await keyring?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('adds, signs in, lists and tells the page of changes', async () => {
    const changes: ClusterView[][] = [];
    const unsubscribe = bridge.clusters.onChange((clusters) => changes.push(clusters));
    const added = await bridge.clusters.add({ name: 'Prod', colour, connection: { kind: 'direct', url: api.url } });
    expect(added.profile).toEqual({ id: 'prod', name: 'Prod', colour, connection: { kind: 'direct', url: api.url } });
    const signedIn = await bridge.clusters.signIn('prod', { username: 'operator-user', password: testPassword('operator') });
    expect(signedIn.credential).toBe('session');
    await until(() => changes.at(-1)?.[0]?.principal?.role === 'operator', { message: 'a change naming the operator' });
    expect(await bridge.clusters.list()).toMatchObject([{ profile: { id: 'prod' }, credential: 'session' }]);
    unsubscribe();
    const seen = changes.length;
    await bridge.clusters.update('prod', { name: 'Production', colour, connection: { kind: 'direct', url: api.url } });
    await until(async () => (await bridge.clusters.list())[0]?.profile.name === 'Production');
    expect(changes).toHaveLength(seen);
    expect(invoked).toEqual(expect.arrayContaining(['clusters:add', 'clusters:signIn', 'clusters:list', 'clusters:update']));
    expect(JSON.stringify(await bridge.clusters.list())).not.toMatch(/refresh|accessToken/i);
  });

  it("rejects with the main process's message: bad arguments name the field", async () => {
    await expect(bridge.clusters.add({ name: '', colour, connection: { kind: 'direct', url: api.url } })).rejects.toThrow('clusters:add: input.name: name must not be empty');
    await expect(bridge.clusters.add({ name: 'X', colour: 'red', connection: { kind: 'direct', url: api.url } })).rejects.toThrow('input.colour: colour must be #rrggbb');
    await expect(bridge.clusters.add({ name: 'X', colour, connection: { kind: 'direct', url: 'file:///etc/passwd' } })).rejects.toThrow('input.connection.url: url must be an http:// or https:// address');
    await expect(bridge.clusters.remove('../prod')).rejects.toThrow(/^clusters:remove: id: /);
    await expect(bridge.clusters.signIn('prod', { username: 'operator-user', password: 'wrong password here' })).rejects.toThrow('wrong username or password');
    await expect(bridge.clusters.signOut('nowhere')).rejects.toThrow('there is no cluster nowhere');
    // What a page could send past the typed bridge: extra arguments and extra fields are refused.
    const raw = createAppBridge('x', { invoke: (channel, ...args) => clusterHandlers({ service, setupToken: () => null, chooseExportPath: async () => null, chooseImportPath: async () => null })[channel]([...args, 'extra']), subscribe: () => () => undefined });
    await expect(raw.clusters.list()).rejects.toThrow('clusters:list: arguments: takes 0 arguments');
    await expect(bridge.clusters.signIn('prod', { username: 'a', password: 'b', role: 'admin' } as never)).rejects.toThrow(/credentials/);
  });

  it('sets up the first admin with the token the main process holds, never one from the page', async () => {
    await expect(bridge.clusters.setUp('prod', { username: 'boss', password: 'a long enough password' })).rejects.toThrow('cluster prod is not waiting for its first admin: sign in instead');
    await bridge.clusters.add({ name: 'Fresh', colour, connection: { kind: 'direct', url: fresh.url } });
    const view = await bridge.clusters.setUp('fresh', { username: 'boss', password: 'a long enough password' });
    expect(view).toMatchObject({ credential: 'session' });
    await until(async () => (await bridge.clusters.list()).find((cluster) => cluster.profile.id === 'fresh')?.principal?.role === 'admin', { message: 'the new admin' });
  });

  it('exports and imports through the dialogs, and does nothing when they are cancelled', async () => {
    dialogPath = null;
    expect(await bridge.clusters.exportProfiles()).toEqual({ path: null });
    expect(await bridge.clusters.importProfiles()).toEqual({ imported: 0 });
    dialogPath = join(folder, 'exported.json');
    expect(await bridge.clusters.exportProfiles()).toEqual({ path: dialogPath });
    const file = await readFile(dialogPath, 'utf8');
    expect(JSON.parse(file)).toMatchObject({ format: 'switchyard-clusters', clusters: [{ name: 'Production' }, { name: 'Fresh' }] });
    expect(file).not.toMatch(/password|token/i);
    await bridge.clusters.remove('fresh');
    const { imported } = await bridge.clusters.importProfiles();
    expect(imported).toBe(2);
    expect((await bridge.clusters.list()).map((cluster) => cluster.profile.name)).toHaveLength(3);
  });

  it('exposes the version and only functions', () => {
    expect(bridge.version).toBe('9.9.9');
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.clusters)).toBe(true);
    expect(Object.values(bridge.clusters).every((value) => typeof value === 'function')).toBe(true);
  });
});
