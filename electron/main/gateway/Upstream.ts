/**
 * How the gateway reaches one cluster's agent: an HTTP origin it can send requests and WebSocket
 * upgrades to. A direct cluster's upstream is its own URL; an SSH cluster's is a loopback port
 * the app forwards through an SSH tunnel to the agent's port on the remote host.
 */
import type { ClusterProfile } from '../../../shared/clusters.js';

export interface Upstream {
  /** Where the agent answers, e.g. `https://agent.example:7700` or `http://127.0.0.1:41871`. */
  readonly origin: string;
  /** Stops forwarding (closes the tunnel); a direct upstream has nothing to close. */
  close(): Promise<void>;
  /**
   * Why the upstream last failed to forward a connection, when it knows better than the failed
   * socket does (a tunnel that reconnected and met a changed host key); the gateway reports it
   * in its 502. Optional: a direct upstream has none.
   */
  readonly lastError?: Error | null;
}

/** Opens the upstream of a profile. Implementations: `DirectUpstream`, `SshUpstream`. */
export type UpstreamOpener = (profile: ClusterProfile) => Promise<Upstream>;

/** The SSH host sent a key this app has never seen for the cluster: show it and ask the user. */
export class UnknownHostKeyError extends Error {
  constructor(
    readonly fingerprint: string,
    readonly algorithm: string,
  ) {
    super(`the SSH host key ${fingerprint} (${algorithm}) is not known yet: confirm it to connect`);
    this.name = 'UnknownHostKeyError';
  }
}

/** The SSH host sent a key that differs from the one trusted for the cluster: refuse, never ask. */
export class ChangedHostKeyError extends Error {
  constructor(
    readonly expected: string,
    readonly received: string,
  ) {
    super(`the SSH host key changed (trusted ${expected}, received ${received}): refusing to connect; if the host was reinstalled, remove and re-add the cluster`);
    this.name = 'ChangedHostKeyError';
  }
}
