/** The users part of the Users view: the create form and every user with role, disable and delete. */
import { useEffect } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useSessionStore } from '../state/sessionStore.js';
import { CreateUserForm } from './CreateUserForm.js';
import { UserRow } from './UserRow.js';
import { useUsersStore } from './usersStore.js';
import { TableHead } from '../controls/TableHead.js';

const columns = ['User', 'Role', 'Status', 'Created', 'Password changed', 'Actions'];

export function UsersSection() {
  const { users, error, load } = useUsersStore();
  const selfId = useSessionStore((state) => state.session?.user.id);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="users" aria-label="Users">
      <h2>Users</h2>
      <ErrorMessage message={error} />
      <CreateUserForm />
      <table>
        <TableHead columns={columns} />
        <tbody>
          {users.map((user) => (
            <UserRow key={user.id} user={user} isSelf={user.id === selfId} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
