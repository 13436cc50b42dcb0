/**
 * The desktop app's composition root without Electron: everything the main process runs besides
 * windows, tray and IPC registration — the cluster registry and service, the gateway, the health
 * monitor and the embedded agent "This computer". `index.ts` calls it with the app's paths;
 * `test/electron/localAgent/startDesktopServices.test.ts` calls it the same way, in plain Node.
 *
 * Order matters only at the edges: the service needs the monitor's health (read lazily), the
 * gateway needs the service's links, the local agent's URL becomes the `this-computer` profile
 * once the agent printed it. A local agent that cannot start does not stop the app: its problem
 * is reported through `onLocalAgentProblem` and the other clusters work as before.
 */
import { join } from 'node:path';
import { localClusterId, type ClusterView } from '../../shared/clusters.js';
import { ClusterRegistry } from './clusters/ClusterRegistry.js';
import { ClusterService } from './clusters/ClusterService.js';
import { openDirectUpstream } from './gateway/DirectUpstream.js';
import { startGateway, type Gateway } from './gateway/startGateway.js';
import type { Upstream } from './gateway/Upstream.js';
import { HealthMonitor, type HealthTarget } from './health/HealthMonitor.js';
import type { HealthAlert } from './health/healthAlerts.js';
import { LocalAgent } from './localAgent/LocalAgent.js';
import type { LocalAgentCommand } from './localAgent/localAgentCommand.js';
import { syncLocalCluster } from './localAgent/localCluster.js';
import { KeychainSecretStore } from './secrets/KeychainSecretStore.js';
import type { SecretStore } from './secrets/SecretStore.js';
import { KnownHosts } from './ssh/KnownHosts.js';
import { sshUpstreamOpener } from './ssh/sshUpstreamOpener.js';

export interface DesktopServicesOptions {
  /** The app's own folder (Electron's `userData`): registry, known hosts, the local agent's data. */
  userData: string;
  /** The built renderer the gateway serves. Default: the gateway's own default (`out/renderer`). */
  rendererDirectory?: string;
  /** How to start This computer's agent; null starts none. */
  localAgent: { command: LocalAgentCommand; flags?: readonly string[] } | null;
  /** Default the OS keychain (`KeychainSecretStore`). */
  secrets?: SecretStore;
  /** Time between health checks. Default 15 000 ms. */
  healthIntervalMs?: number;
  onClusters?: (clusters: ClusterView[]) => void;
  onAlert?: (alert: HealthAlert) => void;
  onLocalAgentProblem?: (problem: string) => void;
}

export interface DesktopServices {
  service: ClusterService;
  gateway: Gateway;
  monitor: HealthMonitor;
  /** The running local agent, or null when none was asked for or it could not start. */
  localAgent: LocalAgent | null;
  /** The setup token the main process holds for a cluster (This computer only). */
  setupToken(clusterId: string): string | null;
  close(): Promise<void>;
}

/** A health target per cluster, reaching it as the gateway does: its upstream and its credential. */
function healthTargets(service: ClusterService): HealthTarget[] {
  return service.list().flatMap(({ profile }): HealthTarget[] => {
    const link = service.link(profile.id);
    if (!link) return [];
    let opened: Upstream | undefined;
    return [
      {
        id: profile.id,
        name: profile.name,
        baseUrl: async () => (opened = await link.upstream()).origin,
        authorization: async () => {
          const token = await link.session.token();
          return token === undefined ? undefined : `Bearer ${token}`;
        },
        unreachable: async () => {
          if (opened) await link.discard(opened);
        },
      },
    ];
  });
}

export async function startDesktopServices(options: DesktopServicesOptions): Promise<DesktopServices> {
  const secrets = options.secrets ?? (await KeychainSecretStore.open());
  const registry = await ClusterRegistry.open(join(options.userData, 'clusters.json'), secrets);
  const knownHosts = new KnownHosts(join(options.userData, 'known-ssh-hosts.json'));
  const ssh = sshUpstreamOpener({ knownHosts, passphrase: (id) => secrets.get(id, 'sshPassphrase') });
  // The monitor and the service refer to each other; neither calls the other before `monitor.start()`.
  const monitor: HealthMonitor = new HealthMonitor({
    targets: () => healthTargets(service),
    intervalMs: options.healthIntervalMs,
    onHealth: () => service.healthChanged(),
    onAlert: options.onAlert,
  });
  const service: ClusterService = await ClusterService.open({
    registry,
    secrets,
    openers: { direct: openDirectUpstream, ssh },
    hostKeys: knownHosts,
    health: (id) => monitor.health(id),
  });
  const { onClusters, onLocalAgentProblem } = options;
  if (onClusters) service.onChange(onClusters);
  const gateway = await startGateway({ clusters: (id) => service.link(id), ...(options.rendererDirectory && { rendererDirectory: options.rendererDirectory }) });

  let localAgent: LocalAgent | null = null;
  if (options.localAgent) {
    try {
      localAgent = await LocalAgent.start({ command: options.localAgent.command, flags: options.localAgent.flags, dataDirectory: join(options.userData, 'agent') });
      await syncLocalCluster(service, localAgent.url!);
      let reported: string | null = null;
      localAgent.onChange((state) => {
        if (state.url) void syncLocalCluster(service, state.url).catch((error: unknown) => onLocalAgentProblem?.(String(error)));
        if (state.problem && state.problem !== reported) onLocalAgentProblem?.(state.problem);
        reported = state.problem;
      });
    } catch (error) {
      onLocalAgentProblem?.(error instanceof Error ? error.message : String(error));
    }
  }
  monitor.start();

  return {
    service,
    gateway,
    monitor,
    localAgent,
    setupToken: (clusterId) => (clusterId === localClusterId ? (localAgent?.setupToken ?? null) : null),
    async close() {
      await monitor.close();
      await gateway.close();
      await service.close();
      await localAgent?.stop();
    },
  };
}
