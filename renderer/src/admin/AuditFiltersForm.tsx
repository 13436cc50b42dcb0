/**
 * The Audit view's filters: the action (every endpoint that is audited: the API's changes), the
 * actor (a user), and a time window in local time. Empty fields match anything.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { endpoints } from '../../../shared/api/endpoints.js';
import { useAuditStore, type AuditFilters } from './auditStore.js';
import { useUsersStore } from './usersStore.js';

/** Endpoints the agent audits: every method but GET, unless marked `audited: false`. */
const auditedActions = Object.entries(endpoints)
  .filter(([, declared]) => declared.method !== 'GET' && (!('audited' in declared) || declared.audited !== false))
  .map(([name]) => name)
  .sort();

export function AuditFiltersForm() {
  const { filters, search, busy } = useAuditStore();
  const { users, load } = useUsersStore();
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const change = (field: keyof AuditFilters, value: string) => setDraft({ ...draft, [field]: value });

  useEffect(() => {
    void load();
  }, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void search(draft);
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Filter audit log">
      <label>
        Action
        <select name="action" value={draft.action} onChange={(event) => change('action', event.target.value)}>
          <option value="">any</option>
          {auditedActions.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </label>
      <label>
        Actor
        <select name="actor" value={draft.actorId} onChange={(event) => change('actorId', event.target.value)}>
          <option value="">anyone</option>
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.username}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input name="since" type="datetime-local" value={draft.since} onChange={(event) => change('since', event.target.value)} />
      </label>
      <label>
        To
        <input name="until" type="datetime-local" value={draft.until} onChange={(event) => change('until', event.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Searching…' : 'Search'}
      </button>
    </form>
  );
}
