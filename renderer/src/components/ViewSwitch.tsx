/**
 * The top bar's switch between the views the signed-in role may open. Each button's title names
 * its shortcut (Alt+1 … Alt+9, in this order). It mounts with the top bar, at sign-in, and then
 * opens the first view, so a sign-in never lands on the view the previous user left open.
 */
import { useEffect, useMemo } from 'react';
import type { Role } from '../../../shared/security/permissions.js';
import { shortcutLabel } from '../keyboard/viewShortcut.js';
import { useViewShortcuts } from '../keyboard/useViewShortcuts.js';
import { useViewStore, views, visibleViews } from '../state/viewStore.js';

export function ViewSwitch({ role }: { role: Role }) {
  const { view, show } = useViewStore();
  const visible = useMemo(() => visibleViews(role), [role]);
  useViewShortcuts(visible, show);
  useEffect(() => useViewStore.getState().show(views[0]), []);
  return (
    <nav className="view-switch" aria-label="Views">
      {visible.map((name, index) => (
        <button key={name} type="button" aria-pressed={view === name} title={shortcutLabel(index) ? `${name} (${shortcutLabel(index)})` : name} onClick={() => show(name)}>
          {name}
        </button>
      ))}
    </nav>
  );
}
