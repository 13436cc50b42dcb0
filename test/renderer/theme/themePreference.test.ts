/** The stored theme preference (renderer/src/theme/themePreference.ts). */
import { describe, expect, it } from 'vitest';
import { parseThemePreference } from '../../../renderer/src/theme/themePreference.js';

describe('theme preference', () => {
  it('reads light and dark, and anything else as system', () => {
    expect(parseThemePreference('dark')).toBe('dark');
    expect(parseThemePreference('light')).toBe('light');
    expect(parseThemePreference('system')).toBe('system');
    expect(parseThemePreference(null)).toBe('system');
    expect(parseThemePreference('purple')).toBe('system');
  });
});
