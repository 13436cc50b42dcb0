/** One queue in the Queues table: its counts per state and, for those who may, pause or resume. */
import type { QueueSummary } from '../../../shared/api/schemas/queues.js';
import { taskStates } from '../../../shared/task.js';
import { useQueuesStore } from '../state/queuesStore.js';

export function QueueRow({ queue, canChange }: { queue: QueueSummary; canChange: boolean }) {
  const { pause, resume } = useQueuesStore();
  const name = queue.definition.name;
  return (
    <tr data-queue={name}>
      <th scope="row">{name}</th>
      <td className="status">{queue.paused ? 'paused' : 'running'}</td>
      {taskStates.map((state) => (
        <td key={state} className="count" data-state={state}>
          {queue.counts[state]}
        </td>
      ))}
      {canChange ? (
        <td>
          {queue.paused ? (
            <button type="button" onClick={() => void resume(name)}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={() => void pause(name)}>
              Pause
            </button>
          )}
        </td>
      ) : null}
    </tr>
  );
}
