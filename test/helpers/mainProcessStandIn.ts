/**
 * Plays the desktop app's main process for browser tests of the renderer's desktop mode, where the
 * Electron binary is missing. Everything but Electron is the app's own code: the real
 * `ClusterRegistry` (a scratch file), `ClusterService`, `KnownHosts` with the SSH opener,
 * `HealthMonitor` (checking each cluster through the gateway, as the app does) and the real
 * gateway (`startGateway`), whose per-launch secret goes into the page's cookie jar as the app
 * sets it on the window's session.
 * What stands in for Electron: `window.app`, installed into a Chromium page, forwards every
 * `ClustersBridge` call to the service in this process — the preload's and IPC handlers' part.
 *
 * Stand-ins, said plainly: secrets live in a `Map` in this process, not in the OS keychain (the
 * keychain store has its own tests); the file dialogs of export and import answer the path the
 * test sets in `dialogPath`; the setup token `setUp` needs comes from `setupTokens`, where the app
 * reads it from the embedded agent's output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ClusterInput, ClusterView } from '../../shared/clusters.js';
import { clusterBaseUrl, gatewaySecretCookie, gatewaySecretHeader } from '../../shared/gateway.js';
import type { AppBridge, Credentials, IpcResult } from '../../shared/ipc.js';
import { ClusterRegistry } from '../../electron/main/clusters/ClusterRegistry.js';
import { ClusterService } from '../../electron/main/clusters/ClusterService.js';
import { openDirectUpstream } from '../../electron/main/gateway/DirectUpstream.js';
import { startGateway, type Gateway } from '../../electron/main/gateway/startGateway.js';
import { HealthMonitor } from '../../electron/main/health/HealthMonitor.js';
import type { SecretKind, SecretStore } from '../../electron/main/secrets/SecretStore.js';
import { KnownHosts } from '../../electron/main/ssh/KnownHosts.js';
import { sshUpstreamOpener } from '../../electron/main/ssh/sshUpstreamOpener.js';

/** What the page's `window.app.clusters` may ask for, and how the service answers each. */
type BridgeMethod = Exclude<keyof AppBridge['clusters'], 'onChange'>;

export interface MainProcessStandIn {
  service: ClusterService;
  monitor: HealthMonitor;
  /** The gateway's origin, where the renderer is served. */
  origin: string;
  /** The file the next export/import "dialog" picks; null answers as a cancelled dialog. */
  dialogPath: string | null;
  /** The one-time setup token of each cluster whose agent waits for its first admin. */
  setupTokens: Map<string, string>;
  /** Installs `window.app` (version `version`) into `page` before any of its scripts run. */
  install(page: Page, version?: string): Promise<void>;
  /**
   * Opens the app's window: a fresh browser context with `window.app` installed, at the gateway's
   * origin, once the cluster switcher shows. `problems` collects CSP violations and page errors.
   */
  openWindow(browser: Browser): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/** Secrets in this process's memory: the stand-in for the OS keychain. */
function memorySecrets(): SecretStore {
  const secrets = new Map<string, string>();
  const key = (clusterId: string, kind: SecretKind) => `${clusterId}/${kind}`;
  return {
    get: async (clusterId, kind) => secrets.get(key(clusterId, kind)),
    set: async (clusterId, kind, secret) => void secrets.set(key(clusterId, kind), secret),
    delete: async (clusterId, kind) => void secrets.delete(key(clusterId, kind)),
  };
}

export async function startMainProcessStandIn({ rendererDirectory, healthIntervalMs = 500 }: { rendererDirectory: string; healthIntervalMs?: number }): Promise<MainProcessStandIn> {
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-desktop-'));
  const secrets = memorySecrets();
  const registry = await ClusterRegistry.open(join(folder, 'clusters.json'), secrets);
  const knownHosts = new KnownHosts(join(folder, 'known-ssh-hosts.json'));
  const service: ClusterService = await ClusterService.open({
    registry,
    secrets,
    openers: { direct: openDirectUpstream, ssh: sshUpstreamOpener({ knownHosts, passphrase: (id) => secrets.get(id, 'sshPassphrase'), readyTimeoutMs: 5_000 }) },
    hostKeys: knownHosts,
    // The registry starts empty, so nothing asks for health before the monitor exists.
    health: (id) => monitor.health(id),
  });
  const gateway: Gateway = await startGateway({ clusters: (id) => service.link(id), rendererDirectory });
  const { origin, secret } = gateway;
  const monitor = new HealthMonitor({
    targets: () => service.list().map(({ profile }) => ({ id: profile.id, name: profile.name, baseUrl: clusterBaseUrl(origin, profile.id) })),
    // The main process's own requests to the gateway carry its secret as a header.
    fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, [gatewaySecretHeader]: secret } } as RequestInit),
    intervalMs: healthIntervalMs,
    timeoutMs: 2_000,
    onHealth: () => service.healthChanged(),
  });
  monitor.start();

  const pages = new Set<Page>();
  service.onChange((clusters) => {
    for (const page of pages) void page.evaluate((list) => (window as unknown as { switchyardClustersChanged?: (list: ClusterView[]) => void }).switchyardClustersChanged?.(list), clusters).catch(() => undefined);
  });

  const standIn: MainProcessStandIn = {
    service,
    monitor,
    origin,
    dialogPath: null,
    setupTokens: new Map(),
    async install(page, version = '0.0.0-test') {
      await page.context().addCookies([{ name: gatewaySecretCookie, value: secret, url: origin, httpOnly: true, sameSite: 'Strict' }]);
      pages.add(page);
      page.on('close', () => pages.delete(page));
      await page.exposeFunction('switchyardMainProcess', async (method: BridgeMethod, args: unknown[]): Promise<IpcResult<unknown>> => {
        try {
          return { ok: true, value: (await answer(method, args)) ?? null };
        } catch (error) {
          return { ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      });
      await page.addInitScript(installBridge, version);
    },
    async openWindow(browser) {
      const context = await browser.newContext();
      // Waits fail with Playwright's own message well before a test's timeout.
      context.setDefaultTimeout(12_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      await standIn.install(page);
      await page.goto(origin);
      await page.getByTestId('active-cluster').waitFor();
      return { page, problems };
    },
    async close() {
      pages.clear();
      await monitor.close();
      await gateway.close();
      await service.close();
      await rm(folder, { recursive: true, force: true });
    },
  };

  /** What the IPC handlers of the app do for each channel. */
  const answer = async (method: BridgeMethod, args: unknown[]): Promise<unknown> => {
    const id = args[0] as string;
    switch (method) {
      case 'list':
        return service.list();
      case 'add':
        return service.add(args[0] as ClusterInput);
      case 'update':
        return service.update(id, args[1] as ClusterInput);
      case 'remove':
        return service.remove(id);
      case 'signIn':
        return service.signIn(id, args[1] as Credentials);
      case 'setUp': {
        const token = standIn.setupTokens.get(id);
        if (!token) throw new Error('this agent did not print a setup token: sign in instead');
        return service.setUp(id, args[1] as Credentials, token);
      }
      case 'useApiKey':
        return service.useApiKey(id, args[1] as string);
      case 'signOut':
        return service.signOut(id);
      case 'setKeyPassphrase':
        return service.setKeyPassphrase(id, args[1] as string);
      case 'trustHostKey':
        return service.trustHostKey(id, args[1] as string);
      case 'exportProfiles': {
        const path = standIn.dialogPath;
        if (path) await service.exportProfiles(path);
        return { path };
      }
      case 'importProfiles':
        return { imported: standIn.dialogPath ? await service.importProfiles(standIn.dialogPath) : 0 };
    }
  };

  return standIn;
}

/**
 * Runs in the page before its scripts, as the preload does: a frozen `window.app` whose methods
 * call the exposed `switchyardMainProcess` and reject with the main process's message.
 */
function installBridge(version: string): void {
  type Call = (method: string, args: unknown[]) => Promise<{ ok: true; value: unknown } | { ok: false; message: string }>;
  const target = window as unknown as { switchyardMainProcess: Call; switchyardClustersChanged: (clusters: unknown) => void };
  const listeners = new Set<(clusters: unknown) => void>();
  target.switchyardClustersChanged = (clusters) => {
    for (const listener of listeners) listener(clusters);
  };
  const invoke =
    (method: string) =>
    async (...args: unknown[]) => {
      const result = await target.switchyardMainProcess(method, args);
      if (!result.ok) throw new Error(result.message);
      return result.value ?? undefined;
    };
  const methods = ['list', 'add', 'update', 'remove', 'signIn', 'setUp', 'useApiKey', 'signOut', 'setKeyPassphrase', 'trustHostKey', 'exportProfiles', 'importProfiles'];
  const clusters: Record<string, unknown> = Object.fromEntries(methods.map((method) => [method, invoke(method)]));
  clusters.onChange = (listener: (clusters: unknown) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  Object.defineProperty(window, 'app', { value: Object.freeze({ version, clusters: Object.freeze(clusters) }), enumerable: true });
}
