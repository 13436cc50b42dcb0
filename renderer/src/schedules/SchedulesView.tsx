/**
 * The Schedules view: every cron schedule with its next five runs, refreshed every 5 s. Roles
 * allowed `schedules:write` also see the create form and each row's Enable/Disable and Delete
 * (hidden, not disabled, for the others).
 */
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { usePolling } from '../controls/usePolling.js';
import { CreateScheduleForm } from './CreateScheduleForm.js';
import { ScheduleRow } from './ScheduleRow.js';
import { useSchedulesStore } from './schedulesStore.js';
import { TableHead } from '../controls/TableHead.js';

const refreshMs = 5_000;
const columns = ['Schedule', 'Queue', 'Pattern', 'Task type', 'Status', 'Last tick', 'Next runs'];

export function SchedulesView({ role }: { role: Role }) {
  const { schedules, loaded, error, load } = useSchedulesStore();
  const canChange = roleAllows(role, 'schedules:write');
  usePolling(load, refreshMs);

  return (
    <main className="schedules">
      <h1>Schedules</h1>
      <ErrorMessage message={error} />
      {canChange ? <CreateScheduleForm /> : null}
      {loaded && schedules.length === 0 ? <p className="empty">No schedules yet.</p> : null}
      {schedules.length > 0 ? (
        <table>
          <TableHead columns={columns} actions={canChange} />
          <tbody>
            {schedules.map((schedule) => (
              <ScheduleRow key={schedule.id} schedule={schedule} canChange={canChange} />
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
