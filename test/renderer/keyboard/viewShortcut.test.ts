/** The view switch's keyboard shortcuts (renderer/src/keyboard/viewShortcut.ts). */
import { describe, expect, it } from 'vitest';
import { shortcutIndex, shortcutLabel } from '../../../renderer/src/keyboard/viewShortcut.js';

const key = (code: string, modifiers: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  code,
  ...modifiers,
});

describe('view shortcuts', () => {
  it('maps Alt+1 … Alt+9 and Alt+0 (top row or keypad) to the first ten views and ignores other chords', () => {
    expect(shortcutIndex(key('Digit1', { altKey: true }))).toBe(0);
    expect(shortcutIndex(key('Numpad9', { altKey: true }))).toBe(8);
    expect(shortcutIndex(key('Digit0', { altKey: true }))).toBe(9);
    expect(shortcutIndex(key('Numpad0', { altKey: true }))).toBe(9);
    expect(shortcutIndex(key('Digit1'))).toBeNull();
    expect(shortcutIndex(key('Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(shortcutIndex(key('Digit1', { altKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutIndex(key('KeyA', { altKey: true }))).toBeNull();
  });

  it('labels the first ten views and no others', () => {
    expect(shortcutLabel(0)).toBe('Alt+1');
    expect(shortcutLabel(8)).toBe('Alt+9');
    expect(shortcutLabel(9)).toBe('Alt+0');
    expect(shortcutLabel(10)).toBe('');
  });
});
