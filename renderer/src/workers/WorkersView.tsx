/**
 * The Workers view: every worker with its heartbeat and slots, refreshed every 2 s, and the
 * queues no worker consumes (their tasks wait until one starts). Drain and Stop show only to
 * roles allowed `workers:write` (hidden, not disabled).
 */
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { usePolling } from '../controls/usePolling.js';
import { WorkerRow } from './WorkerRow.js';
import { useWorkersStore } from './workersStore.js';
import { TableHead } from '../controls/TableHead.js';

const refreshMs = 2_000;
const columns = ['Worker', 'Kind', 'Host', 'PID', 'Queues', 'Task types', 'Slots', 'Heartbeat'];

export function WorkersView({ role }: { role: Role }) {
  const { workers, queuesWithoutWorkers, loaded, error, load } = useWorkersStore();
  const canCommand = roleAllows(role, 'workers:write');
  usePolling(load, refreshMs);

  return (
    <main className="workers">
      <h1>Workers</h1>
      <ErrorMessage message={error} />
      {loaded && workers.length === 0 ? <p className="empty">No worker is registered: start an agent with its worker on, or a process with the worker SDK.</p> : null}
      {workers.length > 0 ? (
        <table>
          <TableHead columns={columns} actions={canCommand} />
          <tbody>
            {workers.map((worker) => (
              <WorkerRow key={worker.id} worker={worker} canCommand={canCommand} />
            ))}
          </tbody>
        </table>
      ) : null}
      {queuesWithoutWorkers.length > 0 ? (
        <section className="unconsumed" aria-label="Queues without a worker">
          <h2>Queues without a worker</h2>
          <p>Tasks on these queues wait until a worker that consumes them starts.</p>
          <ul>
            {queuesWithoutWorkers.map((name) => (
              <li key={name} data-queue={name}>
                {name}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
