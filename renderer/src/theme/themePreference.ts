/**
 * The console's colour theme: `system` follows the OS (`prefers-color-scheme`), `light` and
 * `dark` override it. The choice is a preference, not a secret, so it is kept in localStorage
 * under `themeStorageKey` — only once the user picks something other than `system`; choosing
 * `system` again removes the key, so a console never touched leaves web storage empty.
 */

export const themePreferences = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof themePreferences)[number];

export const themeStorageKey = 'switchyard.theme';

/** The preference a stored value stands for; anything unknown (or nothing) is `system`. */
export function parseThemePreference(stored: string | null): ThemePreference {
  return themePreferences.find((preference) => preference === stored) ?? 'system';
}

/**
 * Marks the document: `data-theme="light|dark"` for an override (styles.css picks the colours
 * from it), no attribute for `system` (styles.css follows the media query).
 */
export function applyThemePreference(root: HTMLElement, preference: ThemePreference): void {
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
}
