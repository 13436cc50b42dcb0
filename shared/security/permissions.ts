/**
 * Roles and permissions: who may do what, as one table both the agent (which enforces it on
 * every route and WebSocket subscription) and the console (which hides what a role cannot do)
 * read.
 *
 * A user has one role; a role grants a fixed set of permissions. An API key has scopes, which
 * are permissions too: a key may only carry scopes its creator's role grants.
 */

export const roles = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  /** Read queues, tasks, workers, schedules, metrics and events (everything but the admin areas). */
  'read',
  /** Enqueue, retry, cancel and promote tasks; requeue and purge dead letters. */
  'tasks:write',
  /** Create, update, pause, resume, drain and delete queues. */
  'queues:write',
  /** Drain and stop workers. */
  'workers:write',
  /** Create, update and delete cron schedules. */
  'schedules:write',
  /** Save and delete workflow definitions. */
  'workflows:write',
  /** Start, pause, resume, cancel and retry workflow runs. */
  'workflows:run',
  /** Manage users and their roles. */
  'users:admin',
  /** Create and revoke API keys. */
  'keys:admin',
  /** Read the audit log. */
  'audit:read',
  /** Change agent settings; take and restore backups. */
  'settings:admin',
] as const;
export type Permission = (typeof permissions)[number];

const operatorPermissions = ['read', 'tasks:write', 'queues:write', 'workers:write', 'schedules:write', 'workflows:write', 'workflows:run'] as const satisfies readonly Permission[];

/** What each role may do: viewer reads; operator also runs the queues; admin everything. */
export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  operator: operatorPermissions,
  admin: permissions,
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** The scopes of a key its creator asked for that the creator's role does not grant (empty when all are allowed). */
export function scopesBeyondRole(role: Role, scopes: readonly Permission[]): Permission[] {
  return scopes.filter((scope) => !roleAllows(role, scope));
}
