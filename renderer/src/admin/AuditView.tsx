/**
 * The Audit view (roles allowed `audit:read`, i.e. admins): every change made through the API,
 * newest first, filtered by action, actor and time, 50 at a time. It reads the log when opened;
 * Search reads it again.
 */
import { useEffect } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { AuditFiltersForm } from './AuditFiltersForm.js';
import { AuditRow } from './AuditRow.js';
import { useAuditStore } from './auditStore.js';
import { TableHead } from '../controls/TableHead.js';

const columns = ['Time', 'Actor', 'Action', 'Target', 'Address', 'Change'];

export function AuditView() {
  const { entries, nextCursor, searched, busy, error, search, loadMore } = useAuditStore();

  useEffect(() => {
    void search(useAuditStore.getState().filters);
  }, [search]);

  return (
    <main className="audit">
      <h1>Audit log</h1>
      <AuditFiltersForm />
      <ErrorMessage message={error} />
      {searched && entries.length === 0 ? <p className="empty">No entries match.</p> : null}
      {entries.length > 0 ? (
        <table>
          <TableHead columns={columns} />
          <tbody>
            {entries.map((entry) => (
              <AuditRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      ) : null}
      {nextCursor ? (
        <button type="button" disabled={busy} onClick={() => void loadMore()}>
          {busy ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </main>
  );
}
