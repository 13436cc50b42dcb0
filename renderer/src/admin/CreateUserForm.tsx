/** Creates a user with a username, an initial password and a role; the agent refuses weak passwords and says why. */
import { useState, type FormEvent } from 'react';
import { roles, type Role } from '../../../shared/security/permissions.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useAction } from '../controls/useAction.js';
import { useUsersStore } from './usersStore.js';

export function CreateUserForm() {
  const create = useUsersStore((state) => state.create);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => create({ username: username.trim(), password, role }))) {
      setUsername('');
      setPassword('');
    }
  };

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} aria-label="Create user">
      <label>
        New username
        <input name="newUsername" autoComplete="off" value={username} onChange={(event) => setUsername(event.target.value)} required />
      </label>
      <label>
        Initial password
        <input name="newPassword" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
      </label>
      <label>
        Role
        <select name="newRole" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {roles.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create user'}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
