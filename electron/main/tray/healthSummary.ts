/**
 * The one line the tray shows across every cluster, e.g.
 * `3 clusters: 2 up, 1 down · 5 dead`. Counts that are zero are left out (`1 cluster: 1 up`),
 * except that a set of clusters never checked reads `2 clusters: checking…`. The dead count sums
 * the last known value of each cluster (stale ones included); it is left out when none is known.
 */
import type { ClusterHealth } from '../../../shared/clusters.js';

export function healthSummary(healths: readonly Pick<ClusterHealth, 'state' | 'dead'>[]): string {
  if (healths.length === 0) return 'No clusters';
  const count = (state: ClusterHealth['state']) => healths.filter((health) => health.state === state).length;
  const parts = [
    [count('up'), 'up'],
    [count('down'), 'down'],
    [count('unknown'), 'checking'],
  ]
    .filter(([number]) => number !== 0)
    .map(([number, label]) => `${number} ${label}`);
  const states = count('unknown') === healths.length ? 'checking…' : parts.join(', ');
  const head = `${healths.length} ${healths.length === 1 ? 'cluster' : 'clusters'}: ${states}`;
  const known = healths.filter((health) => health.dead !== null);
  if (known.length === 0) return head;
  const dead = known.reduce((sum, health) => sum + (health.dead ?? 0), 0);
  return `${head} · ${dead} dead`;
}
