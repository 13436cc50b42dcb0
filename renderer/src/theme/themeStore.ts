/**
 * The theme preference (see `themePreference`): read from localStorage and applied to the
 * document when this module loads — before the first render, so the page does not flash the
 * wrong colours — and stored and applied again on every change.
 */
import { create } from 'zustand';
import { applyThemePreference, parseThemePreference, themeStorageKey, type ThemePreference } from './themePreference.js';

function storedPreference(): ThemePreference {
  try {
    return parseThemePreference(localStorage.getItem(themeStorageKey));
  } catch {
    // Storage can be refused (privacy settings); the OS theme is then the only choice kept.
    return 'system';
  }
}

function remember(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(themeStorageKey);
    else localStorage.setItem(themeStorageKey, preference);
  } catch {
    // Not remembered across reloads; the choice still applies to this page.
  }
}

interface ThemeState {
  preference: ThemePreference;
  choose(preference: ThemePreference): void;
}

const initial = storedPreference();
applyThemePreference(document.documentElement, initial);

export const useThemeStore = create<ThemeState>()((set) => ({
  preference: initial,
  choose(preference) {
    remember(preference);
    applyThemePreference(document.documentElement, preference);
    set({ preference });
  },
}));
