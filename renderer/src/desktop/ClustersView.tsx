/**
 * The Clusters view of the desktop app: every cluster with its status and numbers (live, through
 * `clusters.onChange`), the actions on each, a form to add one, and import/export of profiles
 * (never secrets). Ctrl+Shift+K opens it; Ctrl+Shift+1…9 open the n-th cluster.
 */
import { useEffect, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ClusterCard } from './ClusterCard.js';
import { ClusterForm } from './ClusterForm.js';
import { useClustersStore } from './clustersStore.js';
import { useBridgeAction } from './useBridgeAction.js';

/** How often "last seen … ago" moves on while nothing else changes. */
const clockTickMs = 10_000;

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), clockTickMs);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function ClustersView() {
  const { clusters, loaded, error, activeClusterId } = useClustersStore();
  const transfer = useBridgeAction();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow();

  const exportProfiles = () =>
    void transfer.run(async (bridge) => {
      const { path } = await bridge.exportProfiles();
      setNotice(path ? `Exported ${clusters.length} profiles to ${path} (no secrets).` : null);
    });
  const importProfiles = () =>
    void transfer.run(async (bridge) => {
      const { imported } = await bridge.importProfiles();
      setNotice(imported > 0 ? `Imported ${imported} profiles. Sign in to each.` : null);
    });

  return (
    <main className="clusters">
      <h1>Clusters</h1>
      <div className="clusters-toolbar">
        <button type="button" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          Add cluster
        </button>
        <button type="button" disabled={transfer.busy} onClick={importProfiles}>
          Import profiles
        </button>
        <button type="button" disabled={transfer.busy || clusters.length === 0} onClick={exportProfiles}>
          Export profiles
        </button>
      </div>
      {notice ? <p role="status">{notice}</p> : null}
      <ErrorMessage message={error ?? transfer.error} />
      {adding ? <ClusterForm onDone={() => setAdding(false)} /> : null}
      {loaded && clusters.length === 0 ? <p>No clusters yet: add one with its URL, or through SSH.</p> : null}
      <ul className="cluster-list" aria-label="Clusters">
        {clusters.map((cluster, index) => (
          <ClusterCard key={cluster.profile.id} cluster={cluster} position={index + 1} active={cluster.profile.id === activeClusterId} now={now} />
        ))}
      </ul>
    </main>
  );
}
