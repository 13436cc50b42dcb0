/**
 * One dead-letter group opened: its tasks, newest first (the first 100), and for the task picked
 * its attempts side by side and, for roles allowed `tasks:write`, its payload to edit and requeue.
 */
import { formatTime } from '../components/formatTime.js';
import { AttemptComparison } from './AttemptComparison.js';
import { PayloadEditor } from './PayloadEditor.js';
import { useDeadLettersStore, type DeadLetterGroup } from './deadLettersStore.js';

export function DeadLetterGroupPanel({ group, canChange }: { group: DeadLetterGroup; canChange: boolean }) {
  const { tasks, selected, select, openGroup } = useDeadLettersStore();
  return (
    <section className="dead-letter-group" aria-label="Dead-letter group">
      <h2>
        {group.title} <span className="muted">in {group.queue}</span>
      </h2>
      <button type="button" onClick={() => void openGroup(null)}>
        Close group
      </button>
      {tasks.length === 0 ? <p>No dead tasks left in this group.</p> : null}
      {tasks.length > 0 ? (
        <table aria-label="Dead tasks">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Type</th>
              <th scope="col">Attempts</th>
              <th scope="col">Died</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-task={task.id} aria-selected={selected?.id === task.id}>
                <td>
                  <button type="button" className="link" title={`${task.id}: compare its attempts`} onClick={() => select(task)}>
                    …{task.id.slice(-12)}
                  </button>
                </td>
                <td>{task.type}</td>
                <td className="count">
                  {task.attempts}/{task.maxAttempts}
                </td>
                <td>{formatTime(task.finishedAt)}</td>
                <td className="attempt-error">{task.error?.message ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {selected ? (
        <section className="dead-task" aria-label="Dead task">
          <h3>
            Task <code>{selected.id}</code> ({selected.type})
          </h3>
          <AttemptComparison attempts={selected.history} />
          {canChange ? <PayloadEditor key={selected.id} task={selected} /> : <pre className="payload">{JSON.stringify(selected.payload, null, 2)}</pre>}
        </section>
      ) : null}
    </section>
  );
}
