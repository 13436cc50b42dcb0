/**
 * Creates an API key: a name, its scopes (only those the admin's role grants, `read` checked by
 * default) and an optional expiry date (the key stops working at the start of that day, local
 * time). The secret appears once, in `NewKeySecret`.
 */
import { useState, type FormEvent } from 'react';
import { permissions, roleAllows, type Permission, type Role } from '../../../shared/security/permissions.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useAction } from '../controls/useAction.js';
import { useKeysStore } from './keysStore.js';

export function CreateKeyForm({ role }: { role: Role }) {
  const create = useKeysStore((state) => state.create);
  const grantable = permissions.filter((permission) => roleAllows(role, permission));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Permission[]>(['read']);
  const [expires, setExpires] = useState('');
  const { busy, error, run } = useAction();

  const toggle = (scope: Permission, on: boolean) => setScopes(on ? [...scopes, scope] : scopes.filter((kept) => kept !== scope));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const expiresAt = expires === '' ? undefined : new Date(`${expires}T00:00`).getTime();
    if (await run(() => create({ name: name.trim(), scopes, expiresAt }))) {
      setName('');
      setScopes(['read']);
      setExpires('');
    }
  };

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} aria-label="Create API key">
      <label>
        Key name
        <input name="keyName" value={name} onChange={(event) => setName(event.target.value)} placeholder="e.g. prometheus" required />
      </label>
      <fieldset className="scopes">
        <legend>Scopes</legend>
        {grantable.map((scope) => (
          <label key={scope} className="check">
            <input type="checkbox" name="scope" value={scope} checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} />
            {scope}
          </label>
        ))}
      </fieldset>
      <label>
        Expires (optional)
        <input name="keyExpires" type="date" value={expires} onChange={(event) => setExpires(event.target.value)} />
      </label>
      <button type="submit" disabled={busy || scopes.length === 0}>
        {busy ? 'Creating…' : 'Create API key'}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
