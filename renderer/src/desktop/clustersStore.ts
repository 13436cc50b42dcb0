/**
 * The desktop app's clusters, as the main process's registry reports them through
 * `window.app.clusters`, and which one the console works with now (the active cluster).
 *
 * The list is live: `start()` loads it and subscribes to `clusters.onChange`, which the main process
 * calls after any change of a profile, a credential or a cluster's health. Secrets never reach the
 * renderer: a `ClusterView` says only which kind of credential is stored and who it signs in as.
 *
 * The active cluster is the one the typed client talks to (`/c/<id>` of the gateway). It starts as
 * "This computer" when there is one, otherwise the first cluster; it lives in memory only.
 */
import { create } from 'zustand';
import { localClusterId, type ClusterView } from '../../../shared/clusters.js';
import type { ClustersBridge } from '../../../shared/ipc.js';

interface ClustersState {
  clusters: ClusterView[];
  loaded: boolean;
  /** Why the list could not be loaded, when it could not. */
  error: string | null;
  activeClusterId: string | null;
  /** Whether the Clusters view is shown in place of the active cluster's views. */
  showingClusters: boolean;
  /** Loads the list and follows its changes; returns the unsubscribe. */
  start(): () => void;
  /** Makes a cluster the active one and shows its views. */
  activate(id: string): void;
  /** Activates the n-th cluster of the list (1-based), if there is one. */
  activateNth(position: number): void;
  showClusters(show?: boolean): void;
  /** Puts a cluster the bridge answered into the list at once, ahead of the `onChange` that follows. */
  merge(cluster: ClusterView): void;
}

type SwitchListener = (clusterId: string | null, previousId: string | null) => void;
const switchListeners = new Set<SwitchListener>();

/**
 * Calls `listener` whenever the active cluster changes, so a store holding one cluster's data can
 * drop it. Returns the unsubscribe. The views are also remounted (keyed by the cluster id).
 */
export function onClusterSwitch(listener: SwitchListener): () => void {
  switchListeners.add(listener);
  return () => switchListeners.delete(listener);
}

/** The cluster registry of the desktop app; only called where `window.app` exists. */
export function clustersBridge(): ClustersBridge {
  if (!window.app) throw new Error('the cluster registry exists only in the desktop app');
  return window.app.clusters;
}

/** The cluster to start with: This computer when present, else the first. */
function initialCluster(clusters: ClusterView[]): string | null {
  return (clusters.find((cluster) => cluster.profile.id === localClusterId) ?? clusters[0])?.profile.id ?? null;
}

export const useClustersStore = create<ClustersState>()((set, get) => {
  const switchTo = (id: string | null) => {
    const previous = get().activeClusterId;
    if (id === previous) return;
    set({ activeClusterId: id });
    for (const listener of switchListeners) listener(id, previous);
  };

  /**
   * Takes a new list. With no active cluster (at start, or after the active one was removed) the
   * initial choice applies again; the Clusters view stays up unless this is the first list.
   */
  const receive = (clusters: ClusterView[]) => {
    const { activeClusterId, loaded } = get();
    set({ clusters, loaded: true, error: null });
    const activeGone = activeClusterId !== null && !clusters.some((cluster) => cluster.profile.id === activeClusterId);
    if (activeClusterId === null || activeGone) {
      switchTo(initialCluster(clusters));
      if (loaded || clusters.length === 0) set({ showingClusters: true });
    }
  };

  return {
    clusters: [],
    loaded: false,
    error: null,
    activeClusterId: null,
    showingClusters: false,
    start() {
      const bridge = clustersBridge();
      const unsubscribe = bridge.onChange(receive);
      bridge.list().then(receive, (error: unknown) => set({ error: error instanceof Error ? error.message : String(error), loaded: true, showingClusters: true }));
      return unsubscribe;
    },
    activate(id) {
      switchTo(id);
      set({ showingClusters: false });
    },
    activateNth(position) {
      const cluster = get().clusters[position - 1];
      if (cluster) get().activate(cluster.profile.id);
    },
    showClusters(show = true) {
      set({ showingClusters: show || get().activeClusterId === null });
    },
    merge(cluster) {
      const clusters = get().clusters;
      const known = clusters.some((entry) => entry.profile.id === cluster.profile.id);
      set({ clusters: known ? clusters.map((entry) => (entry.profile.id === cluster.profile.id ? cluster : entry)) : [...clusters, cluster] });
    },
  };
});

/** The active cluster's view, or null when none is active. */
export function activeCluster(state: Pick<ClustersState, 'clusters' | 'activeClusterId'>): ClusterView | null {
  return state.clusters.find((cluster) => cluster.profile.id === state.activeClusterId) ?? null;
}
