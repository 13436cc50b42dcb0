/** The console's top-level component: the sign-in form, or the top bar and the chosen view. */
import { LoginForm } from './components/LoginForm.js';
import { QueuesView } from './components/QueuesView.js';
import { TasksView } from './components/TasksView.js';
import { TopBar } from './components/TopBar.js';
import { useSessionStore } from './state/sessionStore.js';
import { useViewStore } from './state/viewStore.js';

export function App() {
  const session = useSessionStore((state) => state.session);
  const view = useViewStore((state) => state.view);
  if (!session) return <LoginForm />;
  return (
    <>
      <TopBar user={session.user} />
      {view === 'Tasks' ? <TasksView role={session.user.role} /> : <QueuesView role={session.user.role} />}
    </>
  );
}
