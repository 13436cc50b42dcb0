import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterBaseUrl, gatewaySecretHeader } from '../../../shared/gateway.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { openEventSocket } from '../../helpers/eventSocket.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { until } from '../../helpers/until.js';
import { rawRequest, startGatewayHarness, type GatewayHarness } from './gatewayHarness.js';

const skipReason = keyringSkipReason();
if (skipReason) console.warn(`tokenRefresh.test.ts: ${skipReason}`);

const colour = '#3b82f6';

/**
 * The gateway's session handling against an agent whose access tokens live 2 seconds, so that
 * refreshes happen while the test watches: ahead of expiry, after a 401, on an open event stream.
 */
describe.skipIf(skipReason !== '')(`the gateway refreshes sessions itself${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let api: ApiTestAgent;
  const harnesses: GatewayHarness[] = [];
  const operator = () => ({ username: api.users.operator.username, password: testPassword('operator') });

  beforeAll(async () => {
    keyring = await startKeyring();
    api = await startApiTestAgent({ settings: { accessTokenTtl: '2' } });
  });
  afterAll(async () => {
    for (const harness of harnesses) await harness.close();
    await api?.close();
    await keyring?.close();
  });

  /** A harness with one cluster, `name`, on the agent, signed in as the operator. */
  async function signedIn(name: string, options: Parameters<typeof startGatewayHarness>[0] = {}) {
    const harness = await startGatewayHarness(options);
    harnesses.push(harness);
    const { profile } = await harness.service.add({ name, colour, connection: { kind: 'direct', url: api.url } });
    await harness.service.signIn(profile.id, operator());
    const get = () => rawRequest(harness.gateway.origin, `/c/${profile.id}/api/v1/queues`, { headers: { [gatewaySecretHeader]: harness.gateway.secret } });
    return { harness, id: profile.id, get };
  }

  /** What the agent recorded of the sign-in that `refreshToken` belongs to. */
  async function family(refreshToken: string) {
    const { rows } = await api.pool.query<{ used: number; revoked: number; total: number }>(
      `select count(*) filter (where used_at is not null)::int as used, count(*) filter (where revoked_at is not null)::int as revoked, count(*)::int as total
         from refresh_tokens where family_id = (select family_id from refresh_tokens where id = $1)`,
      [refreshToken.split('.')[0]],
    );
    return rows[0]!;
  }

  it('refreshes the access token ahead of its expiry and stores every rotated refresh token in the keychain', async () => {
    const { harness, id, get } = await signedIn('Ahead');
    const first = (await harness.secrets.get(id, 'refreshToken'))!;
    const seen = new Set([first]);
    await until(
      async () => {
        const answer = await get();
        expect(answer.status, answer.body).toBe(200);
        seen.add((await harness.secrets.get(id, 'refreshToken'))!);
        return seen.size >= 3;
      },
      { message: 'two rotations of the refresh token', intervalMs: 100 },
    );
    const latest = (await harness.secrets.get(id, 'refreshToken'))!;
    // Every rotation was stored: the keychain holds the one token of the family not used yet.
    expect(await family(latest)).toMatchObject({ revoked: 0 });
    const { total, used } = await family(latest);
    expect(total - used).toBe(1);
    expect(harness.service.list()[0]).toMatchObject({ credential: 'session', principal: { name: 'operator-user' } });
  });

  it('after a 401 refreshes once, shared by concurrent requests, and sends each request again', async () => {
    // A clock that stands still: the session never sees its token age, so only the agent's 401 can make it refresh.
    const frozen = Date.now();
    const { harness, id, get } = await signedIn('Frozen', { now: () => frozen });
    const first = (await harness.secrets.get(id, 'refreshToken'))!;
    const rotated = await until(
      async () => {
        const answers = await Promise.all(Array.from({ length: 5 }, () => get()));
        for (const answer of answers) expect(answer.status, answer.body).toBe(200);
        const current = await harness.secrets.get(id, 'refreshToken');
        return current !== first ? current : undefined;
      },
      { message: 'the access token to expire and be refreshed', intervalMs: 100 },
    );
    expect(await family(first)).toEqual({ used: 1, revoked: 0, total: 2 });
    expect((await family(rotated)).used).toBe(1);
  });

  it('re-authenticates an open event stream after each refresh, so it outlives the token it opened with', async () => {
    const { harness, id } = await signedIn('Streaming');
    const events = await openEventSocket(clusterBaseUrl(harness.gateway.origin, id), { [gatewaySecretHeader]: harness.gateway.secret });
    try {
      const opened = await events.next((message) => message.type === 'authenticated', { message: 'authenticated' });
      const firstExpiry = opened.type === 'authenticated' ? opened.expiresAt! : 0;
      events.send({ type: 'subscribe', id: 'stats', topic: { kind: 'queueStats' } });
      await events.next((message) => message.type === 'subscribed', { message: 'subscribed' });
      // Well past the first token's expiry, the socket is open and still receives events.
      await until(() => Date.now() > firstExpiry + 1_500, { message: 'the first access token to expire', intervalMs: 100 });
      const count = events.messages.length;
      await events.next((message) => message.type === 'event' && message.id === 'stats', { after: count, message: 'an event after the first token expired' });
      const authentications = events.messages.filter((message) => message.type === 'authenticated');
      expect(authentications.length).toBeGreaterThanOrEqual(3);
      expect(events.socket.readyState).toBe(events.socket.OPEN);
      expect(events.messages.filter((message) => message.type === 'error')).toEqual([]);
    } finally {
      await events.close();
    }
  });

  it('tells the user to sign in again when the agent ends the session, and forgets the dead refresh token', async () => {
    const { harness, id, get } = await signedIn('Ended');
    // Someone else exchanges the stored token first: when the gateway presents it too, the agent sees a reuse and revokes the family.
    const stolen = (await harness.secrets.get(id, 'refreshToken'))!;
    await api.client().call('auth.refresh', { body: { refreshToken: stolen } });
    const refused = await until(
      async () => {
        const answer = await get();
        return answer.status === 401 ? answer : undefined;
      },
      { message: 'the gateway to give up on the session', intervalMs: 100 },
    );
    expect(refused.error?.message).toMatch(/^cluster Ended: the agent ended the session \(.+\); sign in to it again \(or give it an API key\) in the Clusters view$/);
    expect(await harness.secrets.get(id, 'refreshToken')).toBeUndefined();
    expect(harness.service.list()[0]).toMatchObject({ credential: 'none', principal: null });
    expect((await family(stolen)).revoked).toBeGreaterThanOrEqual(2);
  });
});
