/**
 * The builder's keys, on the whole window while it is shown: Ctrl+Z undo, Ctrl+Shift+Z and
 * Ctrl+Y redo (⌘ on a Mac). Copy and paste follow the window's `copy` and `paste` events (Ctrl+C
 * and Ctrl+V, ⌘C and ⌘V, the Edit menu): a copy of the selected nodes goes on the system
 * clipboard as well as the builder's, so it pastes in another tab or window; a paste takes nodes
 * copied in a builder from the system clipboard, and the builder's own copy when the clipboard
 * holds other text (`clipboardActions.ts`). Keys and clipboard events in a text field, or a copy with text selected, are
 * left to the page. Delete is React Flow's.
 */
import { useEffect } from 'react';
import { useBuilderStore } from './builderStore.js';
import { copySelectedNodes, pasteClipboardText } from './clipboardActions.js';

/** Whether the event went to something that edits text. */
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
      else return;
      event.preventDefault();
    };
    const onCopy = (event: ClipboardEvent) => {
      if (inTextField(event.target) || window.getSelection()?.toString()) return;
      const text = copySelectedNodes();
      if (text === null || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (inTextField(event.target)) return;
      pasteClipboardText(event.clipboardData?.getData('text/plain') ?? null);
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [enabled]);
}
