/** The console's top-level component: the sign-in form, or the top bar and the Queues view. */
import { LoginForm } from './components/LoginForm.js';
import { QueuesView } from './components/QueuesView.js';
import { TopBar } from './components/TopBar.js';
import { useSessionStore } from './state/sessionStore.js';

export function App() {
  const session = useSessionStore((state) => state.session);
  if (!session) return <LoginForm />;
  return (
    <>
      <TopBar user={session.user} />
      <QueuesView role={session.user.role} />
    </>
  );
}
