/**
 * The Queues view: every queue with its counts, kept current by the `queueStats` topic of the
 * event stream (one event a second). While the stream is down the view polls `queues.list` every
 * 10 s instead. Those whose role may change queues also see the actions and the create form; a
 * viewer sees neither (hidden, not disabled).
 */
import { useEffect } from 'react';
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { taskStates } from '../../../shared/task.js';
import { ConnectionStatus } from '../events/ConnectionStatus.js';
import { useEventsFlowing, useEventTopic } from '../events/useEventTopic.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { CreateQueueForm } from './CreateQueueForm.js';
import { ErrorMessage } from './ErrorMessage.js';
import { QueueRow } from './QueueRow.js';
import '../queues/queues.css';

/** How often the list is read while live updates do not flow. */
const fallbackPollMs = 10_000;
const everyQueue = { kind: 'queueStats' } as const;

export function QueuesView({ role }: { role: Role }) {
  const { queues, loaded, error, notice, load, applyStats, dismissNotice } = useQueuesStore();
  const canChange = roleAllows(role, 'queues:write');
  const live = useEventsFlowing();

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (live) return;
    const timer = setInterval(() => void load(), fallbackPollMs);
    return () => clearInterval(timer);
  }, [live, load]);

  useEventTopic(everyQueue, applyStats);

  return (
    <main className="queues">
      <div className="view-heading">
        <h1>Queues</h1>
        <ConnectionStatus />
      </div>
      <ErrorMessage message={error} />
      {notice ? (
        <p className="notice" role="status">
          {notice}{' '}
          <button type="button" className="link" onClick={dismissNotice}>
            dismiss
          </button>
        </p>
      ) : null}
      {canChange ? <CreateQueueForm /> : null}
      {loaded && queues.length === 0 ? <p>No queues yet.</p> : null}
      {queues.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Status</th>
              <th scope="col">Limits</th>
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
