/**
 * Copy and paste of nodes through both clipboards: the builder's own (always there) and the
 * system clipboard (where the page may use it), which carries a copy to another tab or window.
 * The keys come through the window's `copy` and `paste` events (`useBuilderShortcuts`), the
 * toolbar's buttons through `navigator.clipboard`, which a browser may refuse (then the
 * builder's own clipboard is used alone).
 */
import { useBuilderStore } from './builderStore.js';
import { clipboardText, parseClipboardText } from './nodeClipboard.js';

/** Copies the selected nodes; answers the clipboard text of the copy, or null when nothing is selected. */
export function copySelectedNodes(): string | null {
  const content = useBuilderStore.getState().copySelection();
  return content ? clipboardText(content) : null;
}

/**
 * Pastes what `text` (the system clipboard's, or null when it could not be read) holds: nodes
 * copied in a builder; for other text or none, the builder's own copy. A damaged copy pastes
 * nothing and says why.
 */
export function pasteClipboardText(text: string | null): void {
  const store = useBuilderStore.getState();
  const read = text === null ? null : parseClipboardText(text);
  if (read?.ok) store.pasteContent(read.content);
  else if (read) store.setClipboardProblem(read.message);
  else if (store.clipboard) store.paste();
  else store.setClipboardProblem('There are no copied nodes to paste: select nodes and copy them first.');
}

/** The toolbar's Copy. */
export function copyButton(): void {
  const text = copySelectedNodes();
  if (text !== null) void navigator.clipboard?.writeText(text).catch(() => undefined);
}

/** The toolbar's Paste. */
export async function pasteButton(): Promise<void> {
  const text = (await navigator.clipboard?.readText().catch(() => null)) ?? null;
  pasteClipboardText(text);
}
