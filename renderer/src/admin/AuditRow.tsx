/** One audit entry: when, who (and as what role), the action, its target and address; the before/after state behind a disclosure. */
import { formatTime } from '../components/formatTime.js';
import type { AuditEntry } from './auditStore.js';

const json = (value: unknown) => (value === undefined || value === null ? '—' : JSON.stringify(value, null, 2));

export function AuditRow({ entry }: { entry: AuditEntry }) {
  const detailed = (entry.before ?? null) !== null || (entry.after ?? null) !== null;
  return (
    <tr data-audit={entry.id} data-action={entry.action}>
      <td>{formatTime(entry.at)}</td>
      <td>
        {entry.actor.name} <span className="role">{entry.actor.role ?? entry.actor.kind}</span>
      </td>
      <th scope="row" className="action-name">
        {entry.action}
      </th>
      <td>
        <code>{entry.target}</code>
      </td>
      <td>{entry.address ?? '—'}</td>
      <td>
        {detailed ? (
          <details>
            <summary>Before / after</summary>
            <pre>{`before: ${json(entry.before)}\nafter: ${json(entry.after)}`}</pre>
          </details>
        ) : null}
      </td>
    </tr>
  );
}
