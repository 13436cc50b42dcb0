/**
 * The console's top-level component, for either host: in the desktop app (`window.app` present)
 * the clusters and the active cluster's views; in the web console the sign-in form, or the top
 * bar and the chosen view of the agent that served the page.
 */
import { CurrentView } from './components/CurrentView.js';
import { LoginForm } from './components/LoginForm.js';
import { TopBar } from './components/TopBar.js';
import { DesktopApp } from './desktop/DesktopApp.js';
import { useSessionStore } from './state/sessionStore.js';

export function App() {
  return window.app ? <DesktopApp /> : <WebConsole />;
}

function WebConsole() {
  const session = useSessionStore((state) => state.session);
  if (!session) return <LoginForm />;
  return (
    <>
      <TopBar user={session.user} />
      <CurrentView role={session.user.role} />
    </>
  );
}
