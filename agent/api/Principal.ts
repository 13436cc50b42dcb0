import type { Permission, Role } from '../../shared/security/permissions.js';

/** Who a request acts as: a signed-in user, or an API key (with its creator's role as a ceiling). */
export interface Principal {
  kind: 'user' | 'apiKey';
  /** The user's id, or the key's id. */
  id: string;
  /** The username, or the key's name. */
  name: string;
  role: Role;
  permissions: readonly Permission[];
}
