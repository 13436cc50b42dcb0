import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import type pg from 'pg';
import { roles, type Role } from '../../shared/security/permissions.js';
import { withTransaction } from '../records/withTransaction.js';
import { AuthenticationError } from './AuthenticationError.js';

export interface AccessTokenOptions {
  /** The `iss` claim written and required. Default `switchyard`. */
  issuer?: string;
  /** The `aud` claim written and required. Default `switchyard-api`. */
  audience?: string;
  /** Lifetime of a token. Default 900 (15 minutes): short, since an access token cannot be revoked. */
  ttlSeconds?: number;
}

export interface AccessTokenSubject {
  userId: string;
  username: string;
  role: Role;
}

export interface VerifiedAccessToken extends AccessTokenSubject {
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Short-lived access tokens: JWTs signed with Ed25519 (`alg: EdDSA`), header `typ: at+jwt`
 * (RFC 9068), claims `sub` (user id), `name`, `role`, `iss`, `aud`, `iat`, `exp`, `jti`.
 *
 * The signing key lives in the `signing_keys` table, so every agent of a cluster signs with the
 * same key and a token from one verifies on another. The newest row signs; every row verifies,
 * chosen by the token's `kid`, so a key added later (rotation) does not void tokens in flight on
 * agents that loaded it. Keys are read once, by `open`.
 *
 * Verification pins the algorithm, issuer, audience and type: `alg: none`, an HMAC token made
 * with the public key, a token for another audience or of another type are all refused.
 */
export class AccessTokens {
  private constructor(
    private readonly signing: { kid: string; key: CryptoKey },
    private readonly verifying: ReadonlyMap<string, CryptoKey>,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Loads the cluster's signing keys, creating the first one when there is none. Agents starting
   * at once take a transaction-level advisory lock before looking, so exactly one creates it and
   * all use it.
   */
  static async open(pool: pg.Pool, { issuer = 'switchyard', audience = 'switchyard-api', ttlSeconds = 900 }: AccessTokenOptions = {}): Promise<AccessTokens> {
    const rows = await withTransaction(pool, async (client) => {
      await client.query(lockSigningKeys);
      const existing = await client.query<SigningKeyRow>(selectSigningKeys);
      if (existing.rows.length > 0) return existing.rows;
      const created = await newSigningKey();
      await client.query(insertSigningKey, [created.kid, algorithm, created.privateJwk, created.publicJwk]);
      return [created];
    });
    const newest = rows[0]!;
    const verifying = new Map<string, CryptoKey>();
    for (const row of rows) verifying.set(row.kid, (await importJWK(row.publicJwk, algorithm)) as CryptoKey);
    const signing = { kid: newest.kid, key: (await importJWK(newest.privateJwk, algorithm)) as CryptoKey };
    return new AccessTokens(signing, verifying, issuer, audience, ttlSeconds);
  }

  async issue(subject: AccessTokenSubject): Promise<{ token: string; expiresAt: number }> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ name: subject.username, role: subject.role })
      .setProtectedHeader({ alg: algorithm, typ: tokenType, kid: this.signing.kid })
      .setSubject(subject.userId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.signing.key);
    return { token, expiresAt: expiresAt * 1000 };
  }

  /** Throws AuthenticationError `expired_token` for a good token past its time, `invalid_token` for anything else. */
  async verify(token: string): Promise<VerifiedAccessToken> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt > Date.now()) return known;
      this.verified.delete(token);
      throw new AuthenticationError('expired_token', 'the access token has expired');
    }
    const claims = await this.check(token);
    // A token's validity is fixed by its text until it expires: remember what checking it proved.
    if (this.verified.size >= verifiedTokensKept) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  /** Tokens already verified, oldest first, so a client's every request does not verify a signature again. */
  private readonly verified = new Map<string, VerifiedAccessToken>();

  private async check(token: string): Promise<VerifiedAccessToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyOf(header.kid), {
        algorithms: [algorithm],
        issuer: this.issuer,
        audience: this.audience,
        typ: tokenType,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('expired_token', 'the access token has expired');
      throw new AuthenticationError('invalid_token', 'the access token is not valid');
    }
    const { sub, name, role, exp } = payload;
    if (typeof sub !== 'string' || typeof name !== 'string' || typeof exp !== 'number' || !roles.includes(role as Role)) {
      throw new AuthenticationError('invalid_token', 'the access token is not valid');
    }
    return { userId: sub, username: name, role: role as Role, expiresAt: exp * 1000 };
  }

  private keyOf(kid: string | undefined): CryptoKey {
    const key = kid === undefined ? undefined : this.verifying.get(kid);
    if (!key) throw new Error('unknown signing key');
    return key;
  }
}

const algorithm = 'EdDSA';
/** At 15 minutes a token, enough for thousands of signed-in clients at once. */
const verifiedTokensKept = 10_000;
const tokenType = 'at+jwt';

interface SigningKeyRow {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function newSigningKey(): Promise<SigningKeyRow> {
  const pair = await generateKeyPair(algorithm, { crv: 'Ed25519', extractable: true });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), alg: algorithm, use: 'sig' };
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, publicJwk: { ...publicJwk, kid }, privateJwk: { ...(await exportJWK(pair.privateKey)), alg: algorithm, use: 'sig', kid } };
}

/** Any constant key would do; this one is derived from a name so it explains itself in pg_locks. */
const lockSigningKeys = `select pg_advisory_xact_lock(hashtextextended('switchyard.signing_keys', 0))`;

const selectSigningKeys = `
select kid, private_jwk as "privateJwk", public_jwk as "publicJwk"
from signing_keys
order by created_at desc, kid`;

const insertSigningKey = `insert into signing_keys (kid, algorithm, private_jwk, public_jwk) values ($1, $2, $3, $4)`;
