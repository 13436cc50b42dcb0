import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token attacks against the API', () => {
  let api: ApiTestAgent;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    api = await startApiTestAgent();
    const [, payload] = api.sessions.viewer.accessToken.split('.');
    claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  });
  afterAll(async () => api?.close());

  /** The status of a read an admin may make, with `token` as the bearer. */
  async function statusWith(token: string): Promise<number> {
    const response = await fetch(`${api.url}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    return response.status;
  }

  it('accepts the genuine token (the control)', async () => {
    expect(await statusWith(api.sessions.admin.accessToken)).toBe(200);
    expect(await statusWith(api.sessions.viewer.accessToken)).toBe(403);
  });

  it('refuses alg: none', async () => {
    const forged = `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url({ ...claims, role: 'admin' })}.`;
    expect(await statusWith(forged)).toBe(401);
  });

  it('refuses a token signed with another key', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const forged = await new SignJWT({ ...claims, role: 'admin' }).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' }).sign(privateKey);
    expect(await statusWith(forged)).toBe(401);
  });

  it('refuses an HS256 token keyed with a guessable secret', async () => {
    const forged = await new SignJWT({ ...claims, role: 'admin' }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(new TextEncoder().encode('switchyard'));
    expect(await statusWith(forged)).toBe(401);
  });

  it('refuses a tampered payload (viewer promoted to admin, signature kept)', async () => {
    const [header, , signature] = api.sessions.viewer.accessToken.split('.');
    expect(await statusWith(`${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`)).toBe(401);
  });

  it('refuses a wrong audience, a wrong issuer, a wrong type and an expired token, each validly signed', async () => {
    // Signed with the cluster's own key, read from where agents keep it, to isolate each claim check.
    const { rows } = await api.pool.query<{ kid: string; private_jwk: JsonWebKey }>('select kid, private_jwk from signing_keys order by created_at desc limit 1');
    const { importJWK } = await import('jose');
    const key = await importJWK(rows[0]!.private_jwk as never, 'EdDSA');
    const sign = (override: Record<string, unknown>, typ = 'at+jwt') =>
      new SignJWT({ ...claims, role: 'admin', ...override }).setProtectedHeader({ alg: 'EdDSA', typ, kid: rows[0]!.kid }).sign(key);
    expect(await statusWith(await sign({}))).toBe(200); // the control: the key and claims are right
    expect(await statusWith(await sign({ aud: 'another-api' }))).toBe(401);
    expect(await statusWith(await sign({ iss: 'someone-else' }))).toBe(401);
    expect(await statusWith(await sign({}, 'JWT'))).toBe(401);
    const past = Math.floor(Date.now() / 1000) - 120;
    const expired = await statusWith(await sign({ iat: past - 900, exp: past }));
    expect(expired).toBe(401);
  });

  it('refuses a replayed refresh token, and the reuse revokes the sign-in it came from', async () => {
    const client = api.client();
    const stolen = api.sessions.operator.refreshToken;
    const owner = await client.call('auth.refresh', { body: { refreshToken: stolen } });
    const replay = await fetch(`${api.url}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: stolen }) });
    expect(replay.status).toBe(401);
    const ownersNext = await fetch(`${api.url}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: owner.refreshToken }) });
    expect(ownersNext.status).toBe(401);
  });

  it('answers 401 with a WWW-Authenticate challenge and no detail of why', async () => {
    const response = await fetch(`${api.url}/api/v1/users`, { headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthenticated');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });
});
