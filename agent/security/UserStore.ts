import type pg from 'pg';
import { roles, type Role } from '../../shared/security/permissions.js';
import { withTransaction } from '../records/withTransaction.js';
import { AuthenticationError } from './AuthenticationError.js';
import { isUuid } from './isUuid.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { SecurityInputError } from './SecurityInputError.js';

export interface UserRecord {
  id: string;
  /** Lower-cased: names are unique regardless of case, and `Alice` signs in as `alice`. */
  username: string;
  role: Role;
  disabled: boolean;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms: when the password was set or last changed. */
  passwordChangedAt: number;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

/**
 * The people who sign in (`users` table). Passwords are stored as Argon2id hashes only.
 *
 * The store keeps the cluster administrable: `update` and `delete` refuse to demote, disable or
 * delete the last enabled admin (SecurityInputError), since nobody could then manage users again
 * short of the `switchyard user create` command on the server.
 */
export class UserStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Throws SecurityInputError (`username`, `password` or `role`) for an input it cannot accept. */
  async create(user: NewUser): Promise<UserRecord> {
    return insertUser(this.pool, user);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.pool.query<UserRow>(selectUserById, [id]);
    return rows[0] && recordOf(rows[0]);
  }

  /** Case-insensitive. */
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>(selectUserByName, [username.toLowerCase()]);
    return rows[0] && recordOf(rows[0]);
  }

  /** Every user, by name. */
  async list(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>(selectUsers);
    return rows.map(recordOf);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>(countUsers);
    return rows[0]?.count ?? 0;
  }

  /**
   * Changes the role or the disabled flag; undefined when there is no such user. Disabling a user
   * does not end their sessions by itself: revoke their refresh tokens too
   * (`RefreshTokens.revokeAllForUser`); their access token lives out its few minutes.
   */
  async update(id: string, change: { role?: Role; disabled?: boolean }): Promise<UserRecord | undefined> {
    if (change.role !== undefined && !roles.includes(change.role)) {
      throw new SecurityInputError('role', `the role must be one of ${roles.join(', ')}`);
    }
    if (!isUuid(id)) return undefined;
    return withTransaction(this.pool, async (client) => {
      const current = await lockUser(client, id);
      if (!current) return undefined;
      const staysAdmin = (change.role ?? current.role) === 'admin' && !(change.disabled ?? current.disabled);
      if (isEnabledAdmin(current) && !staysAdmin) {
        await refuseLastAdmin(client, id, change.role !== undefined && change.role !== 'admin' ? 'role' : 'disabled');
      }
      const { rows } = await client.query<UserRow>(updateUser, [id, change.role ?? null, change.disabled ?? null]);
      return rows[0] && recordOf(rows[0]);
    });
  }

  /**
   * Sets a new password (checked with `passwordProblem`) and its change time. Throws
   * SecurityInputError (`password`, or `id` when there is no such user). Sign-ins made with the
   * old password stay valid until their refresh tokens are revoked (`revokeAllForUser`).
   */
  async setPassword(id: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new SecurityInputError('password', problem);
    const missing = new SecurityInputError('id', `there is no user ${id}`);
    if (!isUuid(id)) throw missing;
    const { rowCount } = await this.pool.query(updatePassword, [id, await hashPassword(password)]);
    if ((rowCount ?? 0) === 0) throw missing;
  }

  /** Answers whether there was such a user. Their refresh tokens go with them; their API keys stay. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return withTransaction(this.pool, async (client) => {
      const current = await lockUser(client, id);
      if (!current) return false;
      if (isEnabledAdmin(current)) await refuseLastAdmin(client, id, 'id');
      const { rowCount } = await client.query(deleteUser, [id]);
      return (rowCount ?? 0) > 0;
    });
  }

  /**
   * The user with this name and password. Throws AuthenticationError `invalid_credentials` for an
   * unknown name or a wrong password (alike, and in about the same time: an unknown name is
   * checked against a dummy hash), and `disabled_user` for a disabled user with the right password.
   */
  async verifyCredentials(username: string, password: string): Promise<UserRecord> {
    const { rows } = await this.pool.query<UserRow & { password_hash: string }>(selectCredentials, [username.toLowerCase()]);
    const row = rows[0];
    const matches = await verifyPassword(row?.password_hash ?? dummyHash, password);
    if (!row || !matches) throw new AuthenticationError('invalid_credentials', 'the username or password is wrong');
    if (row.disabled) throw new AuthenticationError('disabled_user', 'this user is disabled');
    return recordOf(row);
  }
}

/**
 * Creates a user on the pool or on a transaction's client (the setup token creates the first
 * admin inside its own transaction). Validates everything before hashing.
 */
export async function insertUser(db: pg.Pool | pg.PoolClient, { username, password, role }: NewUser): Promise<UserRecord> {
  const name = typeof username === 'string' ? username.toLowerCase() : '';
  const problem = usernameProblem(name);
  if (problem) throw new SecurityInputError('username', problem);
  if (!roles.includes(role)) throw new SecurityInputError('role', `the role must be one of ${roles.join(', ')}`);
  const weakness = typeof password === 'string' ? passwordProblem(password) : 'a password is required';
  if (weakness) throw new SecurityInputError('password', weakness);
  try {
    const { rows } = await db.query<UserRow>(insertUserRow, [name, await hashPassword(password), role]);
    return recordOf(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === uniqueViolation) {
      throw new SecurityInputError('username', `the username ${name} is taken`);
    }
    throw error;
  }
}

/** Why a username is refused, or undefined: 1 to 64 letters, digits, `.`, `_`, `-` or `@`. */
export function usernameProblem(username: string): string | undefined {
  if (!usernamePattern.test(username)) return 'the username must be 1 to 64 letters, digits, dots, underscores, hyphens or @';
  return undefined;
}

const usernamePattern = /^[A-Za-z0-9._@-]{1,64}$/;

/** Postgres' code for a unique constraint violation. */
const uniqueViolation = '23505';

/**
 * An Argon2id hash (same parameters as `hashPassword`) of a random password nobody knows. Unknown
 * usernames are verified against it, so a sign-in attempt takes as long whether the user exists
 * or not and the timing does not tell which names exist.
 */
const dummyHash = '$argon2id$v=19$m=19456,t=2,p=1$AWS6EJ+x+YrnHiMSonPYnQ$rcCSQy91MjIX9hQ8mxp7AqxJLmTGbaRXyIe9Su2MKlk';

interface UserRow {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: Date;
  password_changed_at: Date;
}

function recordOf(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.created_at.getTime(),
    passwordChangedAt: row.password_changed_at.getTime(),
  };
}

function isEnabledAdmin(user: UserRow): boolean {
  return user.role === 'admin' && !user.disabled;
}

async function lockUser(client: pg.PoolClient, id: string): Promise<UserRow | undefined> {
  await client.query(lockAdmins);
  const { rows } = await client.query<UserRow>(selectUserForUpdate, [id]);
  return rows[0];
}

/** Throws when no other enabled admin would remain. Runs under `lockAdmins`, so two admins cannot demote each other at once. */
async function refuseLastAdmin(client: pg.PoolClient, id: string, field: string): Promise<void> {
  const { rows } = await client.query<{ count: number }>(countOtherAdmins, [id]);
  if ((rows[0]?.count ?? 0) === 0) {
    throw new SecurityInputError(field, 'this is the last enabled admin; make another user admin first');
  }
}

const columns = `id, username, role, disabled, created_at, password_changed_at`;

const insertUserRow = `insert into users (username, password_hash, role) values ($1, $2, $3) returning ${columns}`;

const selectUserById = `select ${columns} from users where id = $1`;

const selectUserByName = `select ${columns} from users where username = $1`;

const selectCredentials = `select ${columns}, password_hash from users where username = $1`;

const selectUsers = `select ${columns} from users order by username`;

const countUsers = `select count(*)::int as count from users`;

/** Serializes changes that could remove an admin; derived from a name so it explains itself in pg_locks. */
const lockAdmins = `select pg_advisory_xact_lock(hashtextextended('switchyard.users.admins', 0))`;

const selectUserForUpdate = `select ${columns} from users where id = $1 for update`;

const countOtherAdmins = `select count(*)::int as count from users where role = 'admin' and not disabled and id <> $1`;

const updateUser = `
update users
set role = coalesce($2, role), disabled = coalesce($3, disabled)
where id = $1
returning ${columns}`;

const updatePassword = `update users set password_hash = $2, password_changed_at = now() where id = $1`;

const deleteUser = `delete from users where id = $1`;
