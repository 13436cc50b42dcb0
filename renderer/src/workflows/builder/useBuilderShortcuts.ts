/**
 * The builder's keys, on the whole window while it is shown: Ctrl+Z undo, Ctrl+Shift+Z and
 * Ctrl+Y redo, Ctrl+C copy the selected nodes, Ctrl+V paste them (⌘ on a Mac). Keys typed in a
 * text field are left to the field (its own undo, copy and paste). Delete is React Flow's.
 */
import { useEffect } from 'react';
import { useBuilderStore } from './builderStore.js';

/** Whether the key went to something that edits text. */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useBuilderShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || inTextField(event.target)) return;
      const store = useBuilderStore.getState();
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) store.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') store.redo();
      else if (key === 'c' && !event.shiftKey) {
        if (window.getSelection()?.toString()) return;
        store.copySelection();
      } else if (key === 'v' && !event.shiftKey) store.paste();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
