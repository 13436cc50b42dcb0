/**
 * One schedule: name, queue, pattern and zone, the task type, whether it is on, its last tick and
 * its next run times (local time in the schedule's zone, with the offset). Roles allowed
 * `schedules:write` also get Enable/Disable and Delete (behind a confirmation).
 */
import { formatTime } from '../components/formatTime.js';
import { ActionButton } from '../controls/ActionButton.js';
import { useSchedulesStore, type ScheduleInfo } from './schedulesStore.js';

export function ScheduleRow({ schedule, canChange }: { schedule: ScheduleInfo; canChange: boolean }) {
  const { setEnabled, remove } = useSchedulesStore();
  return (
    <tr data-schedule={schedule.name}>
      <th scope="row">{schedule.name}</th>
      <td>{schedule.queue}</td>
      <td>
        <code>{schedule.cron}</code> <span className="role">{schedule.timeZone}</span>
      </td>
      <td>{schedule.task.type}</td>
      <td className="status">{schedule.enabled ? 'enabled' : 'disabled'}</td>
      <td>{formatTime(schedule.lastTickAt)}</td>
      <td>
        {schedule.nextRuns.length === 0 ? (
          '—'
        ) : (
          <ol className="next-runs" aria-label={`Next runs of ${schedule.name}`}>
            {schedule.nextRuns.map((run) => (
              <li key={run.at}>
                <time dateTime={run.iso}>{run.iso}</time>
              </li>
            ))}
          </ol>
        )}
      </td>
      {canChange ? (
        <td className="row-actions">
          {schedule.enabled ? (
            <ActionButton label="Disable" busyLabel="Disabling…" onAction={() => setEnabled(schedule.id, false)} />
          ) : (
            <ActionButton label="Enable" busyLabel="Enabling…" onAction={() => setEnabled(schedule.id, true)} />
          )}
          <ActionButton
            label="Delete"
            busyLabel="Deleting…"
            danger
            confirm={`Delete schedule ${schedule.name}? Tasks it already enqueued stay.`}
            onAction={() => remove(schedule.id)}
          />
        </td>
      ) : null}
    </tr>
  );
}
