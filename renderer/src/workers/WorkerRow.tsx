/**
 * One worker: id, kind, host, pid, queues, the task types its handlers run, slots in use of its total, and the age of its last
 * heartbeat — marked stale past `staleAfterMs`. Roles allowed `workers:write` also get Drain and
 * Stop, each behind a confirmation.
 */
import { ActionButton } from '../controls/ActionButton.js';
import { formatAge } from '../controls/formatAge.js';
import { useWorkersStore, type WorkerInfo } from './workersStore.js';

/**
 * Workers heartbeat every 5 s (docs/worker.md); three missed beats make a worker stale here. The
 * agent drops a worker from the registry itself after more missed heartbeats.
 */
export const staleAfterMs = 15_000;

export function WorkerRow({ worker, canCommand }: { worker: WorkerInfo; canCommand: boolean }) {
  const command = useWorkersStore((state) => state.command);
  const stale = worker.heartbeatAgeMs > staleAfterMs;
  return (
    <tr data-worker={worker.id} className={stale ? 'stale' : undefined}>
      <th scope="row">
        <code>{worker.id}</code>
      </th>
      <td>{worker.kind}</td>
      <td>{worker.host}</td>
      <td>{worker.pid}</td>
      <td>{worker.queues.join(', ')}</td>
      <td className="types">{worker.types.length > 0 ? worker.types.join(', ') : '—'}</td>
      <td className="count slots">
        {worker.slotsInUse}/{worker.slots}
      </td>
      <td className="heartbeat">
        {formatAge(worker.heartbeatAgeMs)} ago{stale ? <strong className="stale-mark"> stale</strong> : null}
      </td>
      {canCommand ? (
        <td className="row-actions">
          <ActionButton
            label="Drain"
            busyLabel="Draining…"
            confirm={`Drain ${worker.id}? It stops claiming and finishes its running tasks, then stops.`}
            onAction={() => command(worker.id, 'drain')}
          />
          <ActionButton
            label="Stop"
            busyLabel="Stopping…"
            danger
            confirm={`Stop ${worker.id} now? Its running tasks go back to the queue.`}
            onAction={() => command(worker.id, 'stop')}
          />
        </td>
      ) : null}
    </tr>
  );
}
