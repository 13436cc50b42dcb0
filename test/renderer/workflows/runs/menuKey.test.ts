/** Keys that open a node's context menu (renderer/src/workflows/runs/menuKey.ts). */
import { describe, expect, it } from 'vitest';
import { isMenuKey } from '../../../../renderer/src/workflows/runs/menuKey.js';

describe('context-menu keys', () => {
  it('opens on the Menu key and on Shift+F10, not on F10 or other keys', () => {
    expect(isMenuKey({ key: 'ContextMenu', shiftKey: false })).toBe(true);
    expect(isMenuKey({ key: 'F10', shiftKey: true })).toBe(true);
    expect(isMenuKey({ key: 'F10', shiftKey: false })).toBe(false);
    expect(isMenuKey({ key: 'Enter', shiftKey: true })).toBe(false);
  });
});
