/**
 * One user: name, role (a select that changes it at once), whether disabled, created and last
 * password change, with Disable/Enable and Delete (confirmed). The signed-in admin's own row has
 * no controls: changing your own role or deleting yourself would lock you out.
 */
import { roles, type Role } from '../../../shared/security/permissions.js';
import type { User } from '../../../shared/api/schemas/users.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { formatTime } from '../components/formatTime.js';
import { ActionButton } from '../controls/ActionButton.js';
import { useAction } from '../controls/useAction.js';
import { useUsersStore } from './usersStore.js';

export function UserRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const { update, remove } = useUsersStore();
  const changingRole = useAction();
  return (
    <tr data-user={user.username}>
      <th scope="row">{user.username}</th>
      <td>
        {isSelf ? (
          <span className="role-value">{user.role} (you)</span>
        ) : (
          <>
            <select
              aria-label={`Role of ${user.username}`}
              value={user.role}
              disabled={changingRole.busy}
              onChange={(event) => void changingRole.run(() => update(user.id, { role: event.target.value as Role }))}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
            {changingRole.busy ? <span className="role"> Saving…</span> : null}
            <ErrorMessage message={changingRole.error} />
          </>
        )}
      </td>
      <td className="status">{user.disabled ? 'disabled' : 'active'}</td>
      <td>{formatTime(user.createdAt)}</td>
      <td>{formatTime(user.passwordChangedAt)}</td>
      <td className="row-actions">
        {isSelf ? null : (
          <>
            {user.disabled ? (
              <ActionButton label="Enable" busyLabel="Enabling…" onAction={() => update(user.id, { disabled: false })} />
            ) : (
              <ActionButton
                label="Disable"
                busyLabel="Disabling…"
                confirm={`Disable ${user.username}? Their sessions end now.`}
                onAction={() => update(user.id, { disabled: true })}
              />
            )}
            <ActionButton label="Delete" busyLabel="Deleting…" danger confirm={`Delete ${user.username}?`} onAction={() => remove(user.id)} />
          </>
        )}
      </td>
    </tr>
  );
}
