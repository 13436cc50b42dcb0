/**
 * One queue in the Queues table: its counts per state and, for those who may change queues,
 * pause or resume, drain, edit its limits and delete it. Drain and delete ask first, in a row
 * under the queue; so does the settings form.
 */
import { useState } from 'react';
import type { QueueSummary } from '../../../shared/api/schemas/queues.js';
import { taskStates } from '../../../shared/task.js';
import { DeleteQueueConfirmation } from '../queues/DeleteQueueConfirmation.js';
import { QueueSettingsForm } from '../queues/QueueSettingsForm.js';
import { useQueuesStore } from '../state/queuesStore.js';
import { Confirmation } from './Confirmation.js';

type Panel = 'edit' | 'drain' | 'delete' | null;

/** A limit as the table shows it. */
function limitsOf({ concurrency, rateLimit }: QueueSummary['definition']): string {
  const parts = [concurrency === null ? 'any concurrency' : `${concurrency} at once`];
  if (rateLimit) parts.push(`${rateLimit.max} per ${rateLimit.intervalMs} ms`);
  return parts.join(', ');
}

export function QueueRow({ queue, canChange }: { queue: QueueSummary; canChange: boolean }) {
  const { pause, resume, drain, progress } = useQueuesStore();
  const [panel, setPanel] = useState<Panel>(null);
  const name = queue.definition.name;
  const running = progress[name];
  const waiting = queue.counts.queued + queue.counts.scheduled + queue.counts.failed;
  const columns = 3 + taskStates.length + (canChange ? 1 : 0);
  const close = () => setPanel(null);

  return (
    <>
      <tr data-queue={name}>
        <th scope="row">{name}</th>
        <td className="status">{queue.paused ? 'paused' : 'running'}</td>
        <td className="limits">{limitsOf(queue.definition)}</td>
        {taskStates.map((state) => (
          <td key={state} className="count" data-state={state}>
            {queue.counts[state]}
          </td>
        ))}
        {canChange ? (
          <td>
            <div className="queue-actions">
              {queue.paused ? (
                <button type="button" onClick={() => void resume(name)}>
                  Resume
                </button>
              ) : (
                <button type="button" onClick={() => void pause(name)}>
                  Pause
                </button>
              )}
              <button type="button" disabled={running !== undefined} onClick={() => setPanel('drain')}>
                Drain
              </button>
              <button type="button" onClick={() => setPanel('edit')}>
                Edit limits
              </button>
              <button type="button" disabled={running !== undefined} onClick={() => setPanel('delete')}>
                Delete
              </button>
              {running ? <span className="progress">{running}</span> : null}
            </div>
          </td>
        ) : null}
      </tr>
      {canChange && panel ? (
        <tr className="queue-panel" data-panel-of={name}>
          <td colSpan={columns}>
            {panel === 'edit' ? <QueueSettingsForm queue={queue} onDone={close} /> : null}
            {panel === 'delete' ? <DeleteQueueConfirmation queue={queue} onDone={close} /> : null}
            {panel === 'drain' ? (
              <Confirmation
                title={`Drain queue ${name}`}
                confirmLabel={`Drain ${name}`}
                onCancel={close}
                onConfirm={() => {
                  close();
                  void drain(name);
                }}
              >
                <p>
                  Cancels every waiting task of {name}: queued, scheduled and backing off after a failure ({waiting} now). Tasks that are
                  running finish; the queue stays and takes new tasks. Cancelled tasks can be retried from the Tasks view.
                </p>
              </Confirmation>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
