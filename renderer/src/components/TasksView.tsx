/**
 * The Tasks view: search live and archived tasks, page through the results, open one to see every
 * attempt. Retry, cancel and promote show only to roles allowed `tasks:write` (hidden, not disabled).
 */
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { useTasksStore } from '../state/tasksStore.js';
import { ErrorMessage } from './ErrorMessage.js';
import { TaskDetailPanel } from './TaskDetailPanel.js';
import { TaskRow } from './TaskRow.js';
import { TaskSearchForm } from './TaskSearchForm.js';

const columns = ['Id', 'Queue', 'Type', 'State', 'Attempts', 'Created', 'Finished', 'Source'];

export function TasksView({ role }: { role: Role }) {
  const { tasks, nextCursor, searched, busy, error, selected, loadMore } = useTasksStore();
  const canChange = roleAllows(role, 'tasks:write');

  return (
    <main className="tasks">
      <h1>Tasks</h1>
      <TaskSearchForm />
      <ErrorMessage message={error} />
      {searched && tasks.length === 0 ? <p>No tasks match.</p> : null}
      {tasks.length > 0 ? (
        <table>
          <thead>
            <tr>
              {columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <TaskRow key={task.id} task={task} />
            ))}
          </tbody>
        </table>
      ) : null}
      {nextCursor ? (
        <button type="button" disabled={busy} onClick={() => void loadMore()}>
          Load more
        </button>
      ) : null}
      {selected ? <TaskDetailPanel task={selected} canChange={canChange} /> : null}
    </main>
  );
}
