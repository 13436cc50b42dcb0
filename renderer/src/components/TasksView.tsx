/**
 * The Tasks view: search live and archived tasks, scroll through up to 100,000 of them in a
 * virtualised table, open one to see every attempt. Roles allowed `tasks:write` also get the
 * actions on one task, bulk actions on the current search and the enqueue form; a viewer gets
 * none of them (hidden, not disabled).
 */
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { useTasksStore } from '../state/tasksStore.js';
import { BulkActions } from '../tasks/BulkActions.js';
import { EnqueueForm } from '../tasks/EnqueueForm.js';
import { ResultStatus } from '../tasks/ResultStatus.js';
import { TaskTable } from '../tasks/TaskTable.js';
import '../tasks/tasks.css';
import { ErrorMessage } from './ErrorMessage.js';
import { TaskDetailPanel } from './TaskDetailPanel.js';
import { TaskSearchForm } from './TaskSearchForm.js';

export function TasksView({ role }: { role: Role }) {
  // A page may hold no match while later ones do (the agent examines a bounded number of tasks
  // per page): "No tasks match" only once the last page is in.
  const nothingFound = useTasksStore((state) => state.searched && state.tasks.length === 0 && state.nextCursor === null);
  const error = useTasksStore((state) => state.error);
  const selected = useTasksStore((state) => state.selected);
  const canChange = roleAllows(role, 'tasks:write');

  return (
    <main className="tasks">
      <h1>Tasks</h1>
      <TaskSearchForm />
      <ErrorMessage message={error} />
      <div className="tasks-toolbar">
        <ResultStatus />
        {canChange ? <BulkActions /> : null}
      </div>
      <div className={selected ? 'tasks-body with-detail' : 'tasks-body'}>
        {nothingFound ? <p>No tasks match.</p> : <TaskTable />}
        {selected ? <TaskDetailPanel task={selected} canChange={canChange} /> : null}
      </div>
      {canChange ? <EnqueueForm /> : null}
    </main>
  );
}
