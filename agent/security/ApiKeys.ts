import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { permissions, roles, scopesBeyondRole, type Permission, type Role } from '../../shared/security/permissions.js';
import { AuthenticationError } from './AuthenticationError.js';
import { isUuid } from './isUuid.js';
import { SecurityInputError } from './SecurityInputError.js';

export interface ApiKeyRecord {
  id: string;
  /** The public part of the key (`sy_<prefix>_…`): shown in lists so a key can be recognised. */
  prefix: string;
  name: string;
  scopes: Permission[];
  /** The user who made it; null once that user is deleted (the key keeps working). */
  createdBy: string | null;
  /** The creator's role when it was made; the scopes never exceed it. */
  createdByRole: Role;
  /** Epoch ms, like every time below. */
  createdAt: number;
  expiresAt: number | null;
  /** Refreshed at most once a minute. */
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface NewApiKey {
  /** 1 to 100 characters, for people: what the key is for. */
  name: string;
  /** Permissions the key grants; each must be granted by the creator's role. */
  scopes: Permission[];
  /** Epoch ms, in the future; absent or null for a key that does not expire. */
  expiresAt?: number | null;
  createdBy: { userId: string; role: Role };
}

/**
 * API keys for applications (`api_keys` table): `sy_<prefix>_<secret>`, where the prefix is 12
 * random lower-case letters and digits that find the row, and the secret 32 random bytes
 * (base64url) of which only the sha256 is kept. A fast hash is right for a 256-bit random
 * secret (nothing to guess, so nothing for a slow hash to slow down) and keeps key checks, done
 * on every request, in the microseconds; see docs/security.md.
 */
export class ApiKeys {
  constructor(private readonly pool: pg.Pool) {}

  /** Answers the key, shown to its creator once, and its record. Throws SecurityInputError naming the field. */
  async create({ name, scopes, expiresAt = null, createdBy }: NewApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
    if (typeof name !== 'string' || name.trim().length === 0 || [...name].length > 100) {
      throw new SecurityInputError('name', 'the name must be 1 to 100 characters');
    }
    if (!isUuid(createdBy.userId) || !roles.includes(createdBy.role)) {
      throw new SecurityInputError('createdBy', 'the creator must be a user id and one of the roles ' + roles.join(', '));
    }
    const wanted = checkScopes(scopes, createdBy.role);
    if (expiresAt !== null && !(Number.isFinite(expiresAt) && expiresAt > Date.now())) {
      throw new SecurityInputError('expiresAt', 'the expiry must be a time in the future');
    }
    for (let attempt = 1; ; attempt++) {
      const prefix = randomPrefix();
      const secret = randomBytes(secretBytes).toString('base64url');
      try {
        const { rows } = await this.pool.query<ApiKeyRow>(insertKey, [
          prefix,
          hashSecret(secret),
          name,
          wanted,
          createdBy.userId,
          createdBy.role,
          expiresAt === null ? null : new Date(expiresAt),
        ]);
        return { key: `sy_${prefix}_${secret}`, record: recordOf(rows[0]!) };
      } catch (error) {
        // 36^12 prefixes: a collision is all but impossible, but costs nothing to survive.
        if ((error as { code?: string }).code !== uniqueViolation || attempt === 3) throw error;
      }
    }
  }

  /**
   * The record of a valid key. Throws AuthenticationError `invalid_api_key`, with one message for
   * every case (malformed, unknown, wrong secret, revoked, expired), so a caller learns nothing
   * about which keys exist.
   */
  async authenticate(key: string): Promise<ApiKeyRecord> {
    const match = typeof key === 'string' ? keyPattern.exec(key) : null;
    if (!match?.[1] || !match[2]) throw refused();
    const { rows } = await this.pool.query<ApiKeyRow & { expired: boolean; stale: boolean }>(selectKeyForUse, [match[1]]);
    const row = rows[0];
    if (!row || !secretMatches(row.secret_hash, match[2]) || row.revoked_at || row.expired) throw refused();
    if (row.stale) {
      const touched = await this.pool.query<{ last_used_at: Date }>(touchKey, [row.id]);
      if (touched.rows[0]) row.last_used_at = touched.rows[0].last_used_at;
    }
    return recordOf(row);
  }

  /** Every key, revoked and expired ones too, newest first. */
  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(selectKeys);
    return rows.map(recordOf);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.pool.query<ApiKeyRow>(selectKey, [id]);
    return rows[0] && recordOf(rows[0]);
  }

  /** Answers whether there is such a key. Revoking twice keeps the first revocation time. */
  async revoke(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rowCount } = await this.pool.query(revokeKey, [id]);
    return (rowCount ?? 0) > 0;
  }
}

function checkScopes(scopes: readonly Permission[], role: Role): Permission[] {
  if (!Array.isArray(scopes) || scopes.length === 0) throw new SecurityInputError('scopes', 'a key needs at least one scope');
  const unknown = scopes.filter((scope) => !permissions.includes(scope));
  if (unknown.length > 0) {
    throw new SecurityInputError('scopes', `unknown scope ${unknown.map(String).join(', ')}; scopes are ${permissions.join(', ')}`);
  }
  const beyond = scopesBeyondRole(role, scopes);
  if (beyond.length > 0) throw new SecurityInputError('scopes', `the ${role} role cannot grant ${beyond.join(', ')}`);
  return [...new Set(scopes)];
}

function refused(): AuthenticationError {
  return new AuthenticationError('invalid_api_key', 'the API key is not valid');
}

const secretBytes = 32;
const prefixLength = 12;
const prefixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const keyPattern = /^sy_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** Postgres' code for a unique constraint violation. */
const uniqueViolation = '23505';

function randomPrefix(): string {
  let prefix = '';
  for (let index = 0; index < prefixLength; index++) prefix += prefixAlphabet[randomInt(prefixAlphabet.length)];
  return prefix;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares the hex digests in constant time. */
function secretMatches(stored: string, secret: string): boolean {
  const expected = Buffer.from(stored, 'hex');
  const presented = createHash('sha256').update(secret).digest();
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

interface ApiKeyRow {
  id: string;
  prefix: string;
  secret_hash: string;
  name: string;
  scopes: Permission[];
  created_by: string | null;
  created_by_role: Role;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function recordOf(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdByRole: row.created_by_role,
    createdAt: row.created_at.getTime(),
    expiresAt: row.expires_at?.getTime() ?? null,
    lastUsedAt: row.last_used_at?.getTime() ?? null,
    revokedAt: row.revoked_at?.getTime() ?? null,
  };
}

const columns = `id, prefix, secret_hash, name, scopes, created_by, created_by_role, created_at, expires_at, last_used_at, revoked_at`;

const insertKey = `
insert into api_keys (prefix, secret_hash, name, scopes, created_by, created_by_role, expires_at)
values ($1, $2, $3, $4, $5, $6, $7)
returning ${columns}`;

/** Expiry and staleness are judged by the database clock, the same for every agent. */
const selectKeyForUse = `
select ${columns},
  coalesce(expires_at <= now(), false) as expired,
  coalesce(last_used_at < now() - interval '1 minute', true) as stale
from api_keys
where prefix = $1`;

/** The condition repeats the staleness test, so of several agents seeing a stale key at once only one writes. */
const touchKey = `
update api_keys set last_used_at = now()
where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')
returning last_used_at`;

const selectKeys = `select ${columns} from api_keys order by created_at desc, id`;

const selectKey = `select ${columns} from api_keys where id = $1`;

const revokeKey = `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1`;
