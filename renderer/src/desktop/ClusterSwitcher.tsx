/**
 * The active cluster, always in sight in the desktop app: its colour dot and name, a list to switch
 * to another (Ctrl+Shift+1…9), and the button to the Clusters view (Ctrl+Shift+K). A down cluster
 * is marked so here too.
 */
import { useClustersStore, activeCluster } from './clustersStore.js';

export function ClusterSwitcher() {
  const { clusters, activeClusterId, showingClusters, activate, showClusters } = useClustersStore();
  const current = activeCluster({ clusters, activeClusterId });
  return (
    <nav className="cluster-switcher" aria-label="Cluster">
      <span className="cluster-dot" style={{ backgroundColor: current?.profile.colour ?? 'transparent' }} aria-hidden="true" />
      <label>
        <span className="visually-hidden">Active cluster</span>
        <select
          name="activeCluster"
          data-testid="active-cluster"
          value={activeClusterId ?? ''}
          onChange={(event) => (event.target.value ? activate(event.target.value) : showClusters())}
        >
          {activeClusterId === null ? <option value="">No cluster</option> : null}
          {clusters.map((cluster, index) => (
            <option key={cluster.profile.id} value={cluster.profile.id}>
              {index < 9 ? `${index + 1} · ` : ''}
              {cluster.profile.name}
              {cluster.health.state === 'down' ? ' (down)' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" aria-pressed={showingClusters} title="Ctrl+Shift+K" onClick={() => showClusters(!showingClusters)}>
        Clusters
      </button>
    </nav>
  );
}
