/**
 * The Dead letters view: dead tasks not yet requeued, grouped by queue and error signature, with
 * the count, the task types, when the group last grew and a sample (the newest task). Opening a
 * group lists its tasks; a task's attempts can be compared side by side. Roles allowed
 * `tasks:write` also requeue (a group at a throttled rate, or one task with an edited payload) and
 * purge; a viewer sees none of those controls (hidden, not disabled).
 */
import { useEffect, useState } from 'react';
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { formatTime } from '../components/formatTime.js';
import { DeadLetterGroupPanel } from './DeadLetterGroupPanel.js';
import { GroupActions, type GroupAction } from './GroupActions.js';
import { groupKey, useDeadLettersStore, type DeadLetterGroup, type DeadTask } from './deadLettersStore.js';
import './deadLetters.css';

export function DeadLettersView({ role }: { role: Role }) {
  const { groups, samples, loaded, error, notice, open, load, openGroup } = useDeadLettersStore();
  const canChange = roleAllows(role, 'tasks:write');

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="dead-letters">
      <h1>Dead letters</h1>
      <p className="hint">Tasks that used every attempt, grouped by the error they ended with. Requeued tasks leave their group.</p>
      <button type="button" onClick={() => void load()}>
        Refresh
      </button>
      <ErrorMessage message={error} />
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {loaded && groups.length === 0 ? <p>No dead letters.</p> : null}
      {groups.length > 0 ? (
        <table aria-label="Dead-letter groups">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col">Error</th>
              <th scope="col">Count</th>
              <th scope="col">Types</th>
              <th scope="col">Last</th>
              <th scope="col">Sample</th>
              {canChange ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <GroupRow
                key={groupKey(group)}
                group={group}
                sample={samples[groupKey(group)]}
                isOpen={open !== null && groupKey(open) === groupKey(group)}
                canChange={canChange}
                onOpen={() => void openGroup(group)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {open ? <DeadLetterGroupPanel group={open} canChange={canChange} /> : null}
    </main>
  );
}

interface GroupRowProps {
  group: DeadLetterGroup;
  /** The group's newest task, once read: its own message (the title is normalised) and id. */
  sample: DeadTask | undefined;
  isOpen: boolean;
  canChange: boolean;
  onOpen(): void;
}

function GroupRow({ group, sample, isOpen, canChange, onOpen }: GroupRowProps) {
  const [action, setAction] = useState<GroupAction | null>(null);
  const running = useDeadLettersStore((state) => state.progress?.running === true);
  return (
    <>
      <tr className="group-row" data-queue={group.queue} data-signature={group.signature} aria-selected={isOpen}>
        <td>{group.queue}</td>
        <td>
          <button type="button" className="link group-title" onClick={onOpen}>
            {group.title}
          </button>
        </td>
        <td className="count">{group.count}</td>
        <td>{group.types.join(', ')}</td>
        <td>{formatTime(group.lastAt)}</td>
        <td className="sample">
          {sample?.error ? <span className="attempt-error">{sample.error.message}</span> : null}{' '}
          <code title={sample?.id ?? group.latestTaskId}>…{(sample?.id ?? group.latestTaskId).slice(-12)}</code>
        </td>
        {canChange ? (
          <td>
            <div className="group-actions">
              <button type="button" disabled={running || action !== null} onClick={() => setAction('requeue')}>
                Requeue group
              </button>
              <button type="button" disabled={running || action !== null} onClick={() => setAction('purge')}>
                Purge
              </button>
            </div>
          </td>
        ) : null}
      </tr>
      {canChange && action ? (
        <tr className="group-actions-row">
          <td colSpan={7}>
            <GroupActions group={group} action={action} onDone={() => setAction(null)} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
