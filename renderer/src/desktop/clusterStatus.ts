/**
 * How the Clusters view and the switcher describe a cluster in words: where it is, whether it is
 * up, how fresh its numbers are, and whether the renderer can work with it now.
 */
import type { ClusterConnection, ClusterView } from '../../../shared/clusters.js';

/** `https://agent.example:7700`, or `ssh deploy@host:22 → agent port 7700`. */
export function connectionText(connection: ClusterConnection): string {
  if (connection.kind === 'direct') return connection.url;
  return `ssh ${connection.username}@${connection.host}:${connection.port} → agent port ${connection.agentPort}`;
}

/** `just now`, `42 s ago`, `3 min ago`, `5 h ago`, `2 d ago`. */
export function ago(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1_000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/**
 * Whether the health numbers shown are the last known ones of a cluster that does not answer now.
 * A cluster that never answered has no numbers to be stale.
 */
export function isStale(cluster: ClusterView): boolean {
  return cluster.health.state === 'down' && cluster.health.lastSeenAt !== null;
}

/** `stale · last seen 3 min ago` for a down cluster seen before; null otherwise. */
export function staleText(cluster: ClusterView, now: number): string | null {
  const { lastSeenAt } = cluster.health;
  return isStale(cluster) && lastSeenAt !== null ? `stale · last seen ${ago(lastSeenAt, now)}` : null;
}

/** A number, or a dash while it is unknown. */
export function countText(value: number | null): string {
  return value === null ? '–' : String(value);
}

/**
 * What the renderer can do with a cluster now:
 * - `signedOut`: no credential stored — show the sign-in form;
 * - `hostKey`: an unknown SSH host key waits for confirmation;
 * - `unreachable`: a credential is stored but the agent has not said who it belongs to (down, or not checked yet);
 * - `ready`: the agent named the principal — show the views.
 */
export type ClusterReadiness = 'signedOut' | 'hostKey' | 'unreachable' | 'ready';

export function readiness(cluster: ClusterView): ClusterReadiness {
  if (cluster.pendingHostKey) return 'hostKey';
  if (cluster.credential === 'none') return 'signedOut';
  return cluster.principal ? 'ready' : 'unreachable';
}
