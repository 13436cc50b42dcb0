/**
 * The view the top bar's switch has chosen, for the signed-in user's role. A view the role may
 * not open (left chosen by an earlier sign-in in this tab) shows the Overview instead.
 */
import type { Role } from '../../../shared/security/permissions.js';
import { AuditView } from '../admin/AuditView.js';
import { UsersView } from '../admin/UsersView.js';
import { DeadLettersView } from '../deadLetters/DeadLettersView.js';
import { LazyOverviewView } from '../overview/LazyOverviewView.js';
import { SchedulesView } from '../schedules/SchedulesView.js';
import { useViewStore, viewAllowed } from '../state/viewStore.js';
import { WorkersView } from '../workers/WorkersView.js';
import { LazyRunsView, LazyWorkflowsView } from '../workflows/LazyWorkflowViews.js';
import { QueuesView } from './QueuesView.js';
import { TasksView } from './TasksView.js';

export function CurrentView({ role }: { role: Role }) {
  const chosen = useViewStore((state) => state.view);
  const view = viewAllowed(role, chosen) ? chosen : 'Overview';
  switch (view) {
    case 'Overview':
      return <LazyOverviewView />;
    case 'Tasks':
      return <TasksView role={role} />;
    case 'Queues':
      return <QueuesView role={role} />;
    case 'Dead letters':
      return <DeadLettersView role={role} />;
    case 'Workflows':
      return <LazyWorkflowsView role={role} />;
    case 'Runs':
      return <LazyRunsView role={role} />;
    case 'Workers':
      return <WorkersView role={role} />;
    case 'Schedules':
      return <SchedulesView role={role} />;
    case 'Users':
      return <UsersView role={role} />;
    case 'Audit':
      return <AuditView />;
  }
}
