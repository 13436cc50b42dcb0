/**
 * The Users view (admins only: the view switch shows it to roles allowed `users:admin`): users
 * with their roles, and API keys. Each section also checks its own permission (`users:admin`,
 * `keys:admin`), so a role with one but not the other sees only its part.
 */
import type { Role } from '../../../shared/security/permissions.js';
import { roleAllows } from '../../../shared/security/permissions.js';
import { ApiKeysSection } from './ApiKeysSection.js';
import { UsersSection } from './UsersSection.js';

export function UsersView({ role }: { role: Role }) {
  return (
    <main className="admin">
      <h1>Users and API keys</h1>
      {roleAllows(role, 'users:admin') ? <UsersSection /> : null}
      {roleAllows(role, 'keys:admin') ? <ApiKeysSection role={role} /> : null}
    </main>
  );
}
