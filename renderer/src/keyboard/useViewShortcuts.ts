/** Listens for Alt+1 … Alt+9 anywhere on the page and opens that view (see `viewShortcut`). */
import { useEffect } from 'react';
import type { View } from '../state/viewStore.js';
import { shortcutIndex } from './viewShortcut.js';

export function useViewShortcuts(visible: readonly View[], show: (view: View) => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const index = shortcutIndex(event);
      const view = index === null ? undefined : visible[index];
      if (!view) return;
      event.preventDefault();
      show(view);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [visible, show]);
}
