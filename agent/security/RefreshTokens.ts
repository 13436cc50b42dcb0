import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../records/withTransaction.js';
import { AuthenticationError, type AuthenticationFailure } from './AuthenticationError.js';
import { isUuid } from './isUuid.js';

export interface RefreshTokenOptions {
  /** How long a refresh token may be exchanged, from its issue. Default 14 days. */
  ttlMs?: number;
}

export interface IssuedRefreshToken {
  /** `<id>.<secret>`: give it to the client once; only a hash of the secret is kept. */
  token: string;
  familyId: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Rotating refresh tokens (`refresh_tokens` table). A sign-in starts a family; every exchange
 * (`rotate`) marks the presented token used and issues the next one of the same family. A token
 * presented a second time means two parties hold it (the client and a thief), so the whole family
 * is revoked and both must sign in again (OAuth 2.0 Security BCP, refresh token rotation).
 *
 * Clients must therefore refresh one request at a time: two concurrent exchanges of one token
 * count as reuse. Each rotation restarts the lifetime, so a client in daily use stays signed in.
 */
export class RefreshTokens {
  private readonly ttlMs: number;

  constructor(
    private readonly pool: pg.Pool,
    { ttlMs = 14 * 24 * 60 * 60 * 1000 }: RefreshTokenOptions = {},
  ) {
    this.ttlMs = ttlMs;
  }

  /** A new token for the user: in `familyId`'s family, or the first of a new family (a sign-in). */
  async issue(userId: string, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    return insertToken(this.pool, userId, familyId, this.ttlMs);
  }

  /**
   * Exchanges a token for the next of its family. Throws AuthenticationError: `invalid_token`
   * (malformed, unknown, wrong secret, user deleted), `revoked`, `reused_refresh_token` (already
   * exchanged: the family is revoked, and that revocation is committed), `expired_token`,
   * `disabled_user`.
   */
  async rotate(token: string): Promise<IssuedRefreshToken & { userId: string }> {
    const parsed = parseToken(token);
    if (!parsed) throw new AuthenticationError('invalid_token', failureMessages.invalid_token);
    const outcome = await withTransaction(this.pool, async (client): Promise<RotationOutcome> => {
      const { rows } = await client.query<TokenRow>(selectTokenForUpdate, [parsed.id]);
      const row = rows[0];
      if (!row || !secretMatches(row.secret_hash, parsed.secret)) return { failure: 'invalid_token' };
      if (row.revoked_at) return { failure: 'revoked' };
      if (row.used_at) {
        await client.query(revokeFamilyTokens, [row.family_id]);
        return { failure: 'reused_refresh_token' };
      }
      if (row.expired) return { failure: 'expired_token' };
      if (row.user_disabled) return { failure: 'disabled_user' };
      await client.query(markUsed, [row.id]);
      const next = await insertToken(client, row.user_id, row.family_id, this.ttlMs);
      return { rotated: { ...next, userId: row.user_id } };
    });
    if ('failure' in outcome) throw new AuthenticationError(outcome.failure, failureMessages[outcome.failure]);
    return outcome.rotated;
  }

  /** Signs out: revokes the token's whole family. An unknown or malformed token, or a wrong secret, does nothing. */
  async revoke(token: string): Promise<void> {
    const parsed = parseToken(token);
    if (!parsed) return;
    const { rows } = await this.pool.query<TokenRow>(selectToken, [parsed.id]);
    const row = rows[0];
    if (row && secretMatches(row.secret_hash, parsed.secret)) await this.revokeFamily(row.family_id);
  }

  async revokeFamily(familyId: string): Promise<void> {
    if (!isUuid(familyId)) return;
    await this.pool.query(revokeFamilyTokens, [familyId]);
  }

  /** Ends every sign-in of the user (after a password change, or when disabling them). */
  async revokeAllForUser(userId: string): Promise<void> {
    if (!isUuid(userId)) return;
    await this.pool.query(revokeUserTokens, [userId]);
  }

  /**
   * Deletes tokens expired more than `graceMs` ago (default a day) and answers how many. Until
   * then, presenting a used token still revokes its family; after, it is merely unknown.
   */
  async pruneExpired(graceMs = 24 * 60 * 60 * 1000): Promise<number> {
    const { rowCount } = await this.pool.query(deleteExpired, [graceMs]);
    return rowCount ?? 0;
  }
}

type RotationFailure = Extract<AuthenticationFailure, 'invalid_token' | 'revoked' | 'reused_refresh_token' | 'expired_token' | 'disabled_user'>;

type RotationOutcome = { failure: RotationFailure } | { rotated: IssuedRefreshToken & { userId: string } };

const failureMessages: Record<RotationFailure, string> = {
  invalid_token: 'the refresh token is not valid',
  revoked: 'the refresh token was revoked; sign in again',
  reused_refresh_token: 'the refresh token was already used; every session of this sign-in is ended, sign in again',
  expired_token: 'the refresh token has expired; sign in again',
  disabled_user: 'this user is disabled',
};

const secretBytes = 32;
const tokenPattern = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

function parseToken(token: string): { id: string; secret: string } | undefined {
  const match = typeof token === 'string' ? tokenPattern.exec(token) : null;
  if (!match?.[1] || !match[2] || !isUuid(match[1])) return undefined;
  return { id: match[1], secret: match[2] };
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Compares digests of equal length in constant time. */
function secretMatches(stored: Buffer, secret: string): boolean {
  const presented = hashSecret(secret);
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

async function insertToken(db: pg.Pool | pg.PoolClient, userId: string, familyId: string, ttlMs: number): Promise<IssuedRefreshToken> {
  const id = randomUUID();
  const secret = randomBytes(secretBytes).toString('base64url');
  const expiresAt = Date.now() + ttlMs;
  await db.query(insertTokenRow, [id, familyId, userId, hashSecret(secret), new Date(expiresAt)]);
  return { token: `${id}.${secret}`, familyId, expiresAt };
}

interface TokenRow {
  id: string;
  family_id: string;
  user_id: string;
  secret_hash: Buffer;
  used_at: Date | null;
  revoked_at: Date | null;
  expired: boolean;
  user_disabled: boolean;
}

const insertTokenRow = `
insert into refresh_tokens (id, family_id, user_id, secret_hash, expires_at)
values ($1, $2, $3, $4, $5)`;

/** Expiry is judged by the database clock, the same for every agent. */
const tokenColumns = `
t.id, t.family_id, t.user_id, t.secret_hash, t.used_at, t.revoked_at,
t.expires_at <= now() as expired, u.disabled as user_disabled`;

const selectTokenForUpdate = `
select ${tokenColumns}
from refresh_tokens t join users u on u.id = t.user_id
where t.id = $1
for update of t`;

const selectToken = `
select ${tokenColumns}
from refresh_tokens t join users u on u.id = t.user_id
where t.id = $1`;

const markUsed = `update refresh_tokens set used_at = now() where id = $1`;

const revokeFamilyTokens = `update refresh_tokens set revoked_at = now() where family_id = $1 and revoked_at is null`;

const revokeUserTokens = `update refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null`;

const deleteExpired = `delete from refresh_tokens where expires_at < now() - make_interval(secs => $1::double precision / 1000)`;
