/**
 * The console inside the desktop app: the cluster switcher always on top, then the Clusters view,
 * the active cluster's sign-in (or why it cannot be used), or its views. The views are keyed by the
 * cluster's id, so switching cluster remounts them and nothing of the previous cluster survives.
 */
import { useEffect } from 'react';
import { CurrentView } from '../components/CurrentView.js';
import { TopBar } from '../components/TopBar.js';
import { useSessionStore } from '../state/sessionStore.js';
import { ClusterGate } from './ClusterGate.js';
import { ClustersView } from './ClustersView.js';
import { ClusterSwitcher } from './ClusterSwitcher.js';
import { activeCluster, useClustersStore } from './clustersStore.js';
import { readiness, staleText } from './clusterStatus.js';
import { resetClusterDataOnSwitch } from './resetClusterData.js';
import { useClusterShortcuts } from './useClusterShortcuts.js';
import './desktop.css';

export function DesktopApp() {
  const start = useClustersStore((state) => state.start);
  const loaded = useClustersStore((state) => state.loaded);
  const showingClusters = useClustersStore((state) => state.showingClusters);
  const cluster = useClustersStore(activeCluster);
  const session = useSessionStore((state) => state.session);
  useEffect(() => start(), [start]);
  useEffect(() => resetClusterDataOnSwitch(), []);
  useClusterShortcuts();

  const content = () => {
    if (!loaded) return <p role="status">Loading clusters…</p>;
    if (showingClusters || !cluster) return <ClustersView />;
    if (readiness(cluster) !== 'ready' || !session) return <ClusterGate key={cluster.profile.id} cluster={cluster} />;
    const down = cluster.health.state === 'down';
    return (
      <>
        <TopBar user={session.user} />
        {down ? (
          <p className="cluster-down" role="status">
            {cluster.profile.name} does not answer: {cluster.health.problem ?? 'no reason given'}. {staleText(cluster, Date.now()) ?? ''} The app keeps trying.
          </p>
        ) : null}
        <CurrentView key={cluster.profile.id} role={session.user.role} />
      </>
    );
  };

  return (
    <div className="desktop" data-active-cluster={cluster?.profile.id ?? ''}>
      <ClusterSwitcher />
      {content()}
    </div>
  );
}
