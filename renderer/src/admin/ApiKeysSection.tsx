/** The API keys part of the Users view: the create form, the secret of a key just made, and every key with Revoke. */
import { useEffect } from 'react';
import type { Role } from '../../../shared/security/permissions.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ApiKeyRow } from './ApiKeyRow.js';
import { CreateKeyForm } from './CreateKeyForm.js';
import { useKeysStore } from './keysStore.js';
import { NewKeySecret } from './NewKeySecret.js';
import { useUsersStore } from './usersStore.js';
import { TableHead } from '../controls/TableHead.js';

const columns = ['Key', 'Prefix', 'Scopes', 'Created by', 'Created', 'Expires', 'Last used', 'Status', 'Actions'];

export function ApiKeysSection({ role }: { role: Role }) {
  const { keys, loaded, error, load, forgetCreated } = useKeysStore();
  const users = useUsersStore((state) => state.users);
  const usernames = new Map(users.map((user) => [user.id, user.username]));

  useEffect(() => {
    void load();
    // The secret of a new key must not outlive the view it was shown in.
    return forgetCreated;
  }, [load, forgetCreated]);

  return (
    <section className="api-keys" aria-label="API keys">
      <h2>API keys</h2>
      <ErrorMessage message={error} />
      <CreateKeyForm role={role} />
      <NewKeySecret />
      {loaded && keys.length === 0 ? <p className="empty">No API keys yet.</p> : null}
      {keys.length > 0 ? (
        <table>
          <TableHead columns={columns} />
          <tbody>
            {keys.map((apiKey) => (
              <ApiKeyRow key={apiKey.id} apiKey={apiKey} creatorName={apiKey.createdBy === null ? '—' : (usernames.get(apiKey.createdBy) ?? apiKey.createdBy)} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
