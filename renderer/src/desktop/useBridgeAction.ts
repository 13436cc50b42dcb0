/**
 * Runs one call of the cluster registry for a form or button: tracks that it is running, keeps the
 * main process's message when it fails, and puts a returned cluster into the list at once (the
 * `onChange` push that follows carries the same).
 */
import { useState } from 'react';
import type { ClusterView } from '../../../shared/clusters.js';
import type { ClustersBridge } from '../../../shared/ipc.js';
import { errorMessage } from '../state/errorMessage.js';
import { clustersBridge, useClustersStore } from './clustersStore.js';

function isClusterView(value: unknown): value is ClusterView {
  return typeof value === 'object' && value !== null && 'profile' in value && 'health' in value;
}

export interface BridgeAction {
  busy: boolean;
  error: string | null;
  /** Runs `action`; answers whether it succeeded. */
  run(action: (bridge: ClustersBridge) => Promise<unknown>): Promise<boolean>;
  clearError(): void;
}

export function useBridgeAction(): BridgeAction {
  const merge = useClustersStore((state) => state.merge);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    async run(action) {
      setBusy(true);
      setError(null);
      try {
        const result = await action(clustersBridge());
        if (isClusterView(result)) merge(result);
        setBusy(false);
        return true;
      } catch (failure) {
        setError(errorMessage(failure));
        setBusy(false);
        return false;
      }
    },
    clearError() {
      setError(null);
    },
  };
}
