import type { User } from '../../../shared/api/schemas/users.js';
import type { UserRecord } from '../../security/UserStore.js';

/** A user as the API shows it: never the password hash. */
export function toUserView(user: UserRecord): User {
  return { id: user.id, username: user.username, role: user.role, disabled: user.disabled, createdAt: user.createdAt, passwordChangedAt: user.passwordChangedAt };
}
