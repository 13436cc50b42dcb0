import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterRegistry } from '../../../electron/main/clusters/ClusterRegistry.js';
import { ClusterService, type ClusterServiceOptions } from '../../../electron/main/clusters/ClusterService.js';
import { openDirectUpstream } from '../../../electron/main/gateway/DirectUpstream.js';
import { startGateway, type Gateway } from '../../../electron/main/gateway/startGateway.js';
import { HealthMonitor } from '../../../electron/main/health/HealthMonitor.js';
import { KeychainSecretStore } from '../../../electron/main/secrets/KeychainSecretStore.js';
import { KnownHosts } from '../../../electron/main/ssh/KnownHosts.js';
import { sshUpstreamOpener } from '../../../electron/main/ssh/sshUpstreamOpener.js';
import { createApiClient, type ApiClient, type FetchLike } from '../../../shared/api/client.js';
import { clusterBaseUrl, gatewaySecretHeader } from '../../../shared/gateway.js';

/** The desktop app's cluster side as its main process composes it, minus Electron: registry, service, gateway. */
export interface GatewayHarness {
  folder: string;
  rendererDirectory: string;
  secrets: KeychainSecretStore;
  knownHosts: KnownHosts;
  service: ClusterService;
  gateway: Gateway;
  /** A typed client for one cluster through the gateway, sending the secret header (and `headers`). */
  client(clusterId: string, headers?: Record<string, string>): ApiClient;
  close(): Promise<void>;
}

export interface GatewayHarnessOptions extends Pick<ClusterServiceOptions, 'now' | 'refreshMarginMs'> {
  /** The folder of an earlier harness, to start again over its registry and known hosts (an app restart). */
  folder?: string;
}

/**
 * Starts a registry in a scratch folder, a `ClusterService` with the direct and SSH openers (the
 * SSH one with its known-hosts file in the folder), and a gateway over a fixture renderer. Needs a keyring.
 */
export async function startGatewayHarness({ folder: earlier, ...options }: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const folder = earlier ?? (await mkdtemp(join(tmpdir(), 'switchyard-gateway-')));
  const rendererDirectory = join(folder, 'renderer');
  await mkdir(join(rendererDirectory, 'assets'), { recursive: true });
  await writeFile(join(rendererDirectory, 'index.html'), '<!doctype html><title>fixture renderer</title><script type="module" src="./assets/app-3f9a1c.js"></script>');
  await writeFile(join(rendererDirectory, 'assets', 'app-3f9a1c.js'), 'console.log("fixture");\n');

  const secrets = await KeychainSecretStore.open();
  const registry = await ClusterRegistry.open(join(folder, 'clusters.json'), secrets);
  const health = new HealthMonitor({ targets: () => [] });
  const knownHosts = new KnownHosts(join(folder, 'known-ssh-hosts.json'));
  const ssh = sshUpstreamOpener({ knownHosts, passphrase: (id) => secrets.get(id, 'sshPassphrase'), readyTimeoutMs: 10_000 });
  const service = await ClusterService.open({
    registry,
    secrets,
    openers: { direct: openDirectUpstream, ssh },
    hostKeys: knownHosts,
    health: (id) => health.health(id),
    ...options,
  });
  const gateway = await startGateway({ clusters: (id) => service.link(id), rendererDirectory });
  return {
    folder,
    rendererDirectory,
    secrets,
    knownHosts,
    service,
    gateway,
    client(clusterId, headers = {}) {
      const withSecret: FetchLike = (url, init) => fetch(url, { ...init, signal: init.signal as AbortSignal | undefined, headers: { ...init.headers, ...headers, [gatewaySecretHeader]: gateway.secret } });
      return createApiClient({ baseUrl: clusterBaseUrl(gateway.origin, clusterId), fetch: withSecret });
    },
    async close() {
      await gateway.close();
      await service.close();
      await health.close();
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as the gateway's or agent's JSON error, when it is one. */
  error?: { code: string; message: string };
}

/** One HTTP request with exactly these headers (Host included), as a browser or another process could send it. */
export function rawRequest(origin: string, path: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers, setHost: headers.host === undefined }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        let error: RawAnswer['error'];
        try {
          error = (JSON.parse(text) as { error?: RawAnswer['error'] }).error;
        } catch {
          error = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, ...(error && { error }) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
