/**
 * The bar above every view: the view switch, the theme switch, who is signed in, with which
 * role, and a way out; in the desktop app, its version.
 */
import type { User } from '../../../shared/api/schemas/users.js';
import { useSessionStore } from '../state/sessionStore.js';
import { ThemeSwitch } from '../theme/ThemeSwitch.js';
import { ViewSwitch } from './ViewSwitch.js';

export function TopBar({ user }: { user: User }) {
  const logout = useSessionStore((state) => state.logout);
  const desktopVersion = window.app?.version;
  return (
    <header className="top-bar">
      <strong>Switchyard</strong>
      <ViewSwitch role={user.role} />
      {desktopVersion ? <span className="role">Desktop app {desktopVersion}</span> : null}
      <span className="user" data-testid="current-user">
        {user.username} <span className="role">{user.role}</span>
      </span>
      <ThemeSwitch />
      <button type="button" onClick={() => void logout()}>
        Sign out
      </button>
    </header>
  );
}
