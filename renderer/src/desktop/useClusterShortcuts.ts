/**
 * The desktop app's keyboard shortcuts: Ctrl+Shift+1 … Ctrl+Shift+9 open the n-th cluster of the
 * Clusters view's list; Ctrl+Shift+K shows the Clusters view. Keys are matched by their physical
 * code (`Digit1`, `KeyK`), since Shift changes the character a digit key types.
 */
import { useEffect } from 'react';
import { useClustersStore } from './clustersStore.js';

export function useClusterShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return;
      const digit = /^Digit([1-9])$/.exec(event.code)?.[1];
      if (digit) {
        event.preventDefault();
        useClustersStore.getState().activateNth(Number(digit));
      } else if (event.code === 'KeyK') {
        event.preventDefault();
        useClustersStore.getState().showClusters();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
