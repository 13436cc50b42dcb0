/**
 * The Queues view: every queue with its counts, refreshed every 2 s. Those whose role may change
 * queues also see pause/resume and the create form; a viewer sees neither (hidden, not disabled).
 */
import { useEffect } from 'react';
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { taskStates } from '../../../shared/task.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { CreateQueueForm } from './CreateQueueForm.js';
import { ErrorMessage } from './ErrorMessage.js';
import { QueueRow } from './QueueRow.js';

const refreshMs = 2_000;

export function QueuesView({ role }: { role: Role }) {
  const { queues, loaded, error, load } = useQueuesStore();
  const canChange = roleAllows(role, 'queues:write');

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <main className="queues">
      <h1>Queues</h1>
      <ErrorMessage message={error} />
      {canChange ? <CreateQueueForm /> : null}
      {loaded && queues.length === 0 ? <p>No queues yet.</p> : null}
      {queues.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Status</th>
              {taskStates.map((state) => (
                <th scope="col" key={state}>
                  {state}
                </th>
              ))}
              {canChange ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {queues.map((queue) => (
              <QueueRow key={queue.definition.name} queue={queue} canChange={canChange} />
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
