import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../records/withTransaction.js';
import { AuthenticationError } from './AuthenticationError.js';
import { insertUser, type UserRecord } from './UserStore.js';

/**
 * The one-time setup token that creates the first admin of a fresh cluster (`setup_tokens`, at
 * most one row). While there are no users, each agent start issues a new token, replacing the
 * previous one, and prints it once: whoever can read the agent's output owns the server, so may
 * claim it. Only the token of the latest start works. Once a user exists the token is useless,
 * whether it was used or not. Only its sha256 is stored.
 */
export class SetupToken {
  constructor(private readonly pool: pg.Pool) {}

  /** A new setup token when there are no users (print it once), else undefined. */
  async issueIfNoUsers(): Promise<string | undefined> {
    return withTransaction(this.pool, async (client) => {
      await client.query(lockSetup);
      const { rows } = await client.query<{ found: boolean }>(anyUser);
      if (rows[0]?.found) return undefined;
      const token = randomBytes(32).toString('base64url');
      await client.query(replaceToken, [hashToken(token)]);
      return token;
    });
  }

  /**
   * Creates the first admin with the pending token and uses the token up. Throws AuthenticationError
   * `invalid_setup_token` when the token is wrong, used, or users exist already; SecurityInputError
   * (`username`, `password`) for a bad name or password, leaving the token unused.
   */
  async createFirstAdmin(token: string, { username, password }: { username: string; password: string }): Promise<UserRecord> {
    const outcome = await withTransaction(this.pool, async (client) => {
      await client.query(lockSetup);
      const { rows } = await client.query<{ secret_hash: Buffer; used: boolean }>(selectPending);
      const pending = rows[0];
      if (!pending || pending.used || !tokenMatches(pending.secret_hash, token)) return undefined;
      if ((await client.query<{ found: boolean }>(anyUser)).rows[0]?.found) return undefined;
      const admin = await insertUser(client, { username, password, role: 'admin' });
      await client.query(markUsed);
      return admin;
    });
    if (!outcome) throw new AuthenticationError('invalid_setup_token', 'the setup token is not valid; restart the agent to print a new one while there are no users');
    return outcome;
  }
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Compares digests of equal length in constant time. */
function tokenMatches(stored: Buffer, token: string): boolean {
  const presented = hashToken(typeof token === 'string' ? token : '');
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

/** Serializes issuing and claiming, so the first admin is created once. */
const lockSetup = `select pg_advisory_xact_lock(hashtextextended('switchyard.setup', 0))`;

const anyUser = `select exists (select 1 from users) as found`;

const replaceToken = `
insert into setup_tokens (id, secret_hash) values (1, $1)
on conflict (id) do update set secret_hash = excluded.secret_hash, created_at = now(), used_at = null`;

const selectPending = `select secret_hash, used_at is not null as used from setup_tokens where id = 1 for update`;

const markUsed = `update setup_tokens set used_at = now() where id = 1`;
