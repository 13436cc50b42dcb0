import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../agent/security/AccessTokens.js';
import { AuthenticationError } from '../../../agent/security/AuthenticationError.js';
import { migratedDatabase } from '../../helpers/postgres.js';
import { until } from '../../helpers/until.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let tokens: AccessTokens;
let signingKey: { kid: string; privateJwk: JWK; publicJwk: JWK };

const subject = { userId: '6f1c1f9e-2f0a-4a53-9d38-0a4f6f0f3b11', username: 'alice', role: 'viewer' } as const;

beforeAll(async () => {
  database = await migratedDatabase();
  tokens = await AccessTokens.open(database.pool);
  const { rows } = await database.pool.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>('select kid, private_jwk, public_jwk from signing_keys');
  signingKey = { kid: rows[0]!.kid, privateJwk: rows[0]!.private_jwk, publicJwk: rows[0]!.public_jwk };
});

afterAll(async () => {
  await database?.close();
});

/** Opens `count` connections in the pool up front, so concurrent calls really run side by side instead of queueing for connects. */
async function warm(pool: pg.Pool, count = 5): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  for (const client of clients) client.release();
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims a good token would carry, now. */
function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: subject.userId, name: subject.username, role: subject.role, iss: 'switchyard', aud: 'switchyard-api', iat: now, exp: now + 600, jti: 'j', ...overrides };
}

/** A token signed with the cluster's real private key, with whatever header and claims a test wants. */
async function signedByAgent(payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const key = await importJWK(signingKey.privateJwk, 'EdDSA');
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: signingKey.kid, ...header }).sign(key);
}

async function refusal(token: string): Promise<AuthenticationError> {
  const error = await tokens.verify(token).then(
    () => expect.fail('the token was accepted'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

describe('AccessTokens', () => {
  it('issues an EdDSA at+jwt that verifies back to its subject', async () => {
    const before = Date.now();
    const { token, expiresAt } = await tokens.issue(subject);

    expect(await tokens.verify(token)).toEqual({ ...subject, expiresAt });
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(expiresAt).toBeLessThanOrEqual(before + 901_000);
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: signingKey.kid });
    expect(payload).toEqual({
      sub: subject.userId,
      name: 'alice',
      role: 'viewer',
      iss: 'switchyard',
      aud: 'switchyard-api',
      iat: expect.any(Number),
      exp: expiresAt / 1000,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('accepts a token it did not issue itself when the agent key signed it (the control for the refusals below)', async () => {
    expect(await tokens.verify(await signedByAgent(claims()))).toMatchObject(subject);
  });

  it('refuses an unsigned alg:none token', async () => {
    const token = `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(claims({ role: 'admin' }))}.`;
    expect((await refusal(token)).reason).toBe('invalid_token');
  });

  it('refuses a token signed with another Ed25519 key, even under the real kid', async () => {
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: signingKey.kid }).sign(other.privateKey);
    expect((await refusal(token)).reason).toBe('invalid_token');
  });

  it('refuses an HS256 token whose secret is the public key', async () => {
    const publicBytes = Buffer.from(signingKey.publicJwk.x!, 'base64url');
    for (const secret of [publicBytes, Buffer.from(JSON.stringify(signingKey.publicJwk))]) {
      const token = await new SignJWT(claims({ role: 'admin' })).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: signingKey.kid }).sign(secret);
      expect((await refusal(token)).reason).toBe('invalid_token');
    }
  });

  it('refuses another audience, another issuer and another type', async () => {
    const otherAudience = await AccessTokens.open(database.pool, { audience: 'some-other-api' });
    const otherIssuer = await AccessTokens.open(database.pool, { issuer: 'someone-else' });

    expect((await refusal((await otherAudience.issue(subject)).token)).reason).toBe('invalid_token');
    expect((await refusal((await otherIssuer.issue(subject)).token)).reason).toBe('invalid_token');
    expect((await refusal(await signedByAgent(claims(), { typ: 'JWT' }))).reason).toBe('invalid_token');
    expect((await refusal(await signedByAgent(claims(), { typ: undefined }))).reason).toBe('invalid_token');
  });

  it('refuses a tampered payload: the role flipped to admin', async () => {
    const [header, payload, signature] = (await tokens.issue(subject)).token.split('.');
    const forged = { ...(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object), role: 'admin' };
    expect((await refusal(`${header}.${base64url(forged)}.${signature}`)).reason).toBe('invalid_token');
  });

  it('refuses a signed token with an unknown role or without a subject', async () => {
    expect((await refusal(await signedByAgent(claims({ role: 'root' })))).reason).toBe('invalid_token');
    expect((await refusal(await signedByAgent(claims({ sub: undefined })))).reason).toBe('invalid_token');
  });

  it('refuses garbage', async () => {
    for (const token of ['', 'abc', 'a.b.c', '...', `${base64url({ alg: 'EdDSA' })}.e30.AAAA`]) {
      expect((await refusal(token)).reason).toBe('invalid_token');
    }
  });

  it('answers expired_token for a good token past its time', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const error = await refusal(await signedByAgent(claims({ iat: past - 900, exp: past })));
    expect(error.reason).toBe('expired_token');
    expect(error.message).not.toContain('eyJ');

    const shortLived = await AccessTokens.open(database.pool, { ttlSeconds: 1 });
    const { token } = await shortLived.issue(subject);
    expect(await shortLived.verify(token)).toMatchObject(subject);
    await until(
      () =>
        shortLived.verify(token).then(
          () => false,
          (caught: AuthenticationError) => caught.reason === 'expired_token',
        ),
      { timeoutMs: 5_000, intervalMs: 100, message: 'the one-second token to expire' },
    );
  });
});

describe('AccessTokens of several agents', () => {
  it('share one signing key when they open together on a fresh database', async () => {
    const fresh = await migratedDatabase();
    try {
      await warm(fresh.pool);
      const agents = await Promise.all([1, 2, 3, 4].map(() => AccessTokens.open(fresh.pool)));

      const { rows } = await fresh.pool.query<{ count: number }>('select count(*)::int as count from signing_keys');
      expect(rows[0]?.count).toBe(1);
      for (const issuer of agents) {
        const { token } = await issuer.issue(subject);
        for (const verifier of agents) expect(await verifier.verify(token)).toMatchObject(subject);
      }
      expect((await tokens.verify((await agents[0]!.issue(subject)).token).catch((caught: AuthenticationError) => caught.reason))).toBe('invalid_token');
    } finally {
      await fresh.close();
    }
  });
});
