/** The top bar's theme choice: System (the OS setting), Light or Dark; remembered in this browser. */
import { useThemeStore } from './themeStore.js';
import { themePreferences, type ThemePreference } from './themePreference.js';

const labels: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function ThemeSwitch() {
  const { preference, choose } = useThemeStore();
  return (
    <label className="theme-switch">
      Theme
      <select name="theme" value={preference} onChange={(event) => choose(event.target.value as ThemePreference)}>
        {themePreferences.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
