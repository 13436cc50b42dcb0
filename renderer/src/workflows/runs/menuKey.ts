/**
 * Whether a key press asks for a context menu: the Menu (context-menu) key, or Shift+F10, the two
 * ways a keyboard opens one on the focused element.
 */
export function isMenuKey(event: { key: string; shiftKey: boolean }): boolean {
  return event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10');
}
