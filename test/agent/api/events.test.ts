import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../agent/security/AccessTokens.js';
import { apiPrefix } from '../../../shared/api/endpoint.js';
import { eventCloseCodes, eventsPath, eventStreamLimits, type EventData, type EventKind, type ServerMessage } from '../../../shared/api/events.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { openEventSocket, signedInEventSocket, type EventSocket } from '../../helpers/eventSocket.js';

type Message<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
const is =
  <T extends ServerMessage['type']>(type: T, id?: string) =>
  (message: ServerMessage): message is Message<T> =>
    message.type === type && (id === undefined || ('id' in message && message.id === id));
/** An event of subscription `id` whose data matches. */
const eventOf =
  <K extends EventKind>(id: string, kind: K, match: (data: EventData<K>) => boolean = () => true) =>
  (message: ServerMessage): message is Message<'event'> & { data: EventData<K> } =>
    message.type === 'event' && message.id === id && message.kind === kind && match(message.data as EventData<K>);

describe('GET /api/v1/events (WebSocket)', () => {
  let api: ApiTestAgent | undefined;
  let agent: ApiTestAgent;
  const sockets: EventSocket[] = [];
  const token = (role: 'admin' | 'operator' | 'viewer') => agent.sessions[role].accessToken;
  const signedIn = async (credential: string) => {
    const events = await signedInEventSocket(agent.url, credential);
    sockets.push(events);
    return events;
  };
  const opened = async (headers?: Record<string, string>) => {
    const events = await openEventSocket(agent.url, headers);
    sockets.push(events);
    return events;
  };

  beforeAll(async () => {
    // No worker: the tests claim and acknowledge through the engine, so every state change is theirs.
    api = await startApiTestAgent();
    agent = api;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((events) => events.close()));
    await api?.close();
  });

  describe('authentication', () => {
    it('accepts an access token as the first message, and answers ping', async () => {
      const events = await signedIn(token('operator'));
      const authenticated = events.messages.find(is('authenticated'))!;
      expect(authenticated.principal).toMatchObject({ kind: 'user', name: 'operator-user', role: 'operator' });
      expect(authenticated.expiresAt).toBeGreaterThan(Date.now());
      events.send({ type: 'ping' });
      await events.next(is('pong'));
    });

    it('accepts an Authorization header on the upgrade, for a token or an API key', async () => {
      const byToken = await opened({ authorization: `Bearer ${token('viewer')}` });
      expect((await byToken.next(is('authenticated'))).principal.role).toBe('viewer');
      const { key } = await agent.client('admin').call('keys.create', { body: { name: 'watcher', scopes: ['read'] } });
      const byKey = await opened({ authorization: `Bearer ${key}` });
      const authenticated = await byKey.next(is('authenticated'));
      expect(authenticated.principal).toMatchObject({ kind: 'apiKey', name: 'watcher', permissions: ['read'] });
      expect(authenticated.expiresAt).toBeNull();
      await expect(openEventSocket(agent.url, { authorization: 'Bearer garbage' })).rejects.toThrow(/401/);
    });

    it('closes with 4401 without a valid credential first', async () => {
      const garbage = await opened();
      garbage.send({ type: 'authenticate', token: 'garbage' });
      expect((await garbage.closed).code).toBe(eventCloseCodes.unauthenticated);

      const subscribesFirst = await opened();
      subscribesFirst.send({ type: 'subscribe', id: 'a', topic: { kind: 'workers' } });
      expect((await subscribesFirst.closed).code).toBe(eventCloseCodes.unauthenticated);

      const notJson = await opened();
      notJson.send('hello');
      expect((await notJson.closed).code).toBe(eventCloseCodes.unauthenticated);
    });

    it('closes with 4401 when no credential comes within the deadline', async () => {
      const silent = await opened();
      const { code } = await silent.closed;
      expect(code).toBe(eventCloseCodes.unauthenticated);
      expect(silent.messages).toEqual([]);
    });

    it('closes with 4440 when the access token expires', async () => {
      const shortLived = await AccessTokens.open(agent.pool, { ttlSeconds: 3 });
      const { token: expiring } = await shortLived.issue({ userId: agent.users.viewer.id, username: agent.users.viewer.username, role: 'viewer' });
      const events = await signedIn(expiring);
      expect((await events.closed).code).toBe(eventCloseCodes.tokenExpired);
    });

    it('re-authenticates the same user, never another one', async () => {
      const events = await signedIn(token('operator'));
      const before = events.messages.length;
      events.send({ type: 'authenticate', token: token('operator') });
      await events.next(is('authenticated'), { after: before });
      events.send({ type: 'authenticate', token: token('admin') });
      const refusal = await events.next(is('error'), { after: before });
      expect(refusal).toMatchObject({ code: 'invalid', field: 'token' });
      events.send({ type: 'subscribe', id: 'audit', topic: { kind: 'audit' } });
      expect(await events.next(is('refused', 'audit'))).toMatchObject({ code: 'forbidden' });
    });
  });

  describe('authorisation per subscription', () => {
    it('refuses audit to a viewer and an operator, naming the permission; the socket stays open', async () => {
      for (const role of ['viewer', 'operator'] as const) {
        const events = await signedIn(token(role));
        events.send({ type: 'subscribe', id: 'log', topic: { kind: 'audit' } });
        const refusal = await events.next(is('refused', 'log'));
        expect(refusal).toMatchObject({ code: 'forbidden', permission: 'audit:read' });
        expect(refusal.message).toContain('audit:read');
        events.send({ type: 'ping' });
        await events.next(is('pong'));
      }
    });

    it('refuses queue statistics to an API key that only has tasks:write', async () => {
      const { key } = await agent.client('admin').call('keys.create', { body: { name: 'producer', scopes: ['tasks:write'] } });
      const events = await signedIn(key);
      events.send({ type: 'subscribe', id: 'stats', topic: { kind: 'queueStats' } });
      expect(await events.next(is('refused', 'stats'))).toMatchObject({ code: 'forbidden', permission: 'read' });
    });
  });

  describe('topics', () => {
    it('audit: an admin sees the entry of a queue an operator creates through the API', async () => {
      const events = await signedIn(token('admin'));
      events.send({ type: 'subscribe', id: 'log', topic: { kind: 'audit' } });
      await events.next(is('subscribed', 'log'));
      await agent.client('operator').call('queues.create', { body: { name: 'audited' } });
      const event = await events.next(eventOf('log', 'audit', (entry) => entry.target === 'queue:audited'));
      expect(event.data).toMatchObject({ action: 'queues.create', actor: { kind: 'user', name: 'operator-user', role: 'operator' } });
    });

    it('queueStats: counts each second, for one queue or all, changing after an enqueue', async () => {
      await agent.client('operator').call('queues.create', { body: { name: 'stats' } });
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'one', topic: { kind: 'queueStats', queue: 'stats' } });
      events.send({ type: 'subscribe', id: 'all', topic: { kind: 'queueStats' } });
      const first = await events.next(is('event', 'one'));
      expect(first.data).toEqual({ queues: [{ name: 'stats', paused: false, counts: expect.objectContaining({ queued: 0 }) }] });
      const all = await events.next(is('event', 'all'));
      expect((all.data as EventData<'queueStats'>).queues.map((queue) => queue.name)).toContain('stats');

      await agent.client('operator').call('tasks.enqueue', { params: { name: 'stats' }, body: { type: 'count-me' } });
      await events.next(eventOf('one', 'queueStats', (data) => data.queues[0]?.counts.queued === 1), {
        message: 'a queueStats event with one queued task',
      });
    });

    it('task: reports queued → active → succeeded', async () => {
      await agent.client('operator').call('queues.create', { body: { name: 'jobs' } });
      const { id } = await agent.client('operator').call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'work' } });
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'job', topic: { kind: 'task', queue: 'jobs', taskId: id } });
      await events.next(is('subscribed', 'job'));
      const stateOf = (message: ServerMessage) => (message.type === 'event' ? (message.data as EventData<'task'>).task?.state : undefined);
      await events.next((message) => stateOf(message) === 'queued');

      const engine = agent.agent.engine;
      const { tasks } = await engine.claim('jobs', { workerId: 'events-test', max: 1, leaseMs: 30_000 });
      expect(tasks.map((task) => task.id)).toEqual([id]);
      await events.next((message) => stateOf(message) === 'active', { message: 'the active state' });
      await engine.acknowledge('jobs', [{ id, token: tasks[0]!.token, status: 'succeeded', result: { ok: true } }]);
      const done = await events.next(eventOf('job', 'task', (data) => data.task?.state === 'succeeded'), { message: 'the succeeded state' });
      expect(done.data.task).toMatchObject({ id, attempts: 1, type: 'work' });
      expect(events.eventsOf('job').map(stateOf)).toEqual(['queued', 'active', 'succeeded']);
    });

    it('task: an unknown task or queue is refused as not_found, naming the field', async () => {
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'ghost', topic: { kind: 'task', queue: 'jobs', taskId: '0193a4b2-0000-7000-8000-00000000abcd' } });
      expect(await events.next(is('refused', 'ghost'))).toMatchObject({ code: 'not_found', field: 'topic.taskId' });
      events.send({ type: 'subscribe', id: 'nowhere', topic: { kind: 'queueStats', queue: 'missing' } });
      expect(await events.next(is('refused', 'nowhere'))).toMatchObject({ code: 'not_found', field: 'topic.queue' });
    });

    it('tasks: counts deltas of the filter’s states, each matching task that changes state, and each that finishes', async () => {
      await agent.client('operator').call('queues.create', { body: { name: 'filtered' } });
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'f', topic: { kind: 'tasks', queue: 'filtered', types: ['wanted'], states: ['queued', 'succeeded'] } });
      const baseline = await events.next(is('event', 'f'));
      expect(baseline.data).toEqual({ change: 'counts', counts: { queued: 0, succeeded: 0 }, delta: null });

      const client = agent.client('operator');
      const wanted = await client.call('tasks.enqueue', { params: { name: 'filtered' }, body: { type: 'wanted' } });
      await client.call('tasks.enqueue', { params: { name: 'filtered' }, body: { type: 'other' } });
      const countsOf = (message: ServerMessage) => (message.type === 'event' && message.id === 'f' && message.data && 'counts' in message.data ? message.data : undefined);
      const grown = await events.next((message) => countsOf(message)?.counts.queued === 2, { message: 'two queued' });
      expect(countsOf(grown)!.delta).toEqual(expect.objectContaining({ succeeded: 0 }));
      // One by one: the task of the filter's type that appeared queued, not the other one.
      const appeared = await events.next(eventOf('f', 'tasks', (data) => data.change === 'states'), { message: 'a states event' });
      expect(appeared.data).toEqual({ change: 'states', complete: true, tasks: [expect.objectContaining({ id: wanted.id, type: 'wanted', state: 'queued' })] });

      const engine = agent.agent.engine;
      const { tasks } = await engine.claim('filtered', { workerId: 'events-test', max: 2, leaseMs: 30_000 });
      expect(tasks).toHaveLength(2);
      await engine.acknowledge('filtered', tasks.map((task) => ({ id: task.id, token: task.token, status: 'succeeded' as const })));

      // The leader's archiver moves finished tasks to history within a second or so, and announces them.
      const finished = await events.next(eventOf('f', 'tasks', (data) => data.change === 'finished'), { message: 'a finished event' });
      expect(finished.data.change === 'finished' && finished.data.tasks).toEqual([expect.objectContaining({ id: wanted.id, type: 'wanted', state: 'succeeded' })]);
      await events.next((message) => countsOf(message)?.counts.succeeded === 2 && countsOf(message)?.counts.queued === 0, { message: 'two succeeded' });
      const everyFinished = events.eventsOf('f').flatMap((event) => ((event.data as EventData<'tasks'>).change === 'finished' ? (event.data as { tasks: Array<{ type: string }> }).tasks : []));
      expect(everyFinished.map((task) => task.type)).toEqual(['wanted']);
    });

    it('workers: the registry at once', async () => {
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'w', topic: { kind: 'workers' } });
      const first = await events.next(is('event', 'w'));
      expect(events.messages.findIndex(is('subscribed', 'w'))).toBeLessThan(events.messages.indexOf(first));
      expect(first.data).toMatchObject({ workers: [], queuesWithoutWorkers: expect.arrayContaining(['stats']) });
    });
  });

  describe('the subscription manager', () => {
    it('unsubscribe stops the events of that subscription', async () => {
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'gone', topic: { kind: 'queueStats' } });
      events.send({ type: 'subscribe', id: 'probe', topic: { kind: 'queueStats' } });
      await events.next(is('event', 'gone'));
      events.send({ type: 'unsubscribe', id: 'gone' });
      await events.next(is('unsubscribed', 'gone'));
      const seen = events.eventsOf('gone').length;
      const probes = events.eventsOf('probe').length;
      // Two more ticks reach the other subscription; none reaches the one that left.
      await events.next(() => events.eventsOf('probe').length >= probes + 2, { message: 'two more ticks' });
      expect(events.eventsOf('gone')).toHaveLength(seen);
      events.send({ type: 'unsubscribe', id: 'gone' });
      expect(await events.next(is('error'))).toMatchObject({ code: 'not_found', field: 'id' });
    });

    it('answers malformed messages naming the field, and keeps the socket open', async () => {
      const events = await signedIn(token('viewer'));
      events.send({ type: 'subscribe', id: 'm1', topic: { kind: 'queueStats', queue: 'bad name!' } });
      expect(await events.next(is('refused', 'm1'))).toMatchObject({ code: 'invalid', field: 'topic.queue' });
      events.send({ type: 'subscribe', id: 'm2', topic: { kind: 'tasks', queue: 'filtered', states: ['queued', 'bogus'] } });
      expect(await events.next(is('refused', 'm2'))).toMatchObject({ code: 'invalid', field: 'topic.states[1]' });
      events.send({ type: 'subscribe', id: 'm3', topic: { kind: 'nonsense' } });
      expect(await events.next(is('refused', 'm3'))).toMatchObject({ code: 'invalid', field: 'topic.kind' });
      events.send({ type: 'subscribe', id: 'm4', topic: { kind: 'workers', extra: true } });
      expect(await events.next(is('refused', 'm4'))).toMatchObject({ code: 'invalid', field: 'topic.extra' });

      let after = events.messages.length;
      events.send({ type: 'dance' });
      expect(await events.next(is('error'), { after })).toMatchObject({ code: 'invalid', field: 'type' });
      after = events.messages.length;
      events.send('{ not json');
      const notJson = await events.next(is('error'), { after });
      expect(notJson.code).toBe('invalid');
      expect(notJson.field).toBeUndefined();
      after = events.messages.length;
      events.socket.send(Buffer.from([1, 2, 3]), { binary: true });
      expect(await events.next(is('error'), { after })).toMatchObject({ code: 'invalid' });

      events.send({ type: 'subscribe', id: 'w', topic: { kind: 'workers' } });
      await events.next(is('subscribed', 'w'));
      events.send({ type: 'subscribe', id: 'w', topic: { kind: 'workers' } });
      expect(await events.next(is('refused', 'w'))).toMatchObject({ code: 'invalid', field: 'id' });
      expect(events.socket.readyState).toBe(WebSocket.OPEN);
    });

    it(`refuses more than ${eventStreamLimits.maxSubscriptions} subscriptions on one socket`, async () => {
      const events = await signedIn(token('viewer'));
      for (let index = 0; index <= eventStreamLimits.maxSubscriptions; index += 1) events.send({ type: 'subscribe', id: `s${index}`, topic: { kind: 'workers' } });
      const refusal = await events.next(is('refused', `s${eventStreamLimits.maxSubscriptions}`));
      expect(refusal.code).toBe('too_many');
      expect(events.messages.filter(is('subscribed'))).toHaveLength(eventStreamLimits.maxSubscriptions);
      await events.close();
    });

    it('answers a plain GET with 426 Upgrade Required', async () => {
      const response = await fetch(`${agent.url}${apiPrefix}${eventsPath}`);
      expect(response.status).toBe(426);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    });
  });

  it('closing the agent closes every socket with 1001', async () => {
    const events = await signedIn(token('viewer'));
    events.send({ type: 'subscribe', id: 'stats', topic: { kind: 'queueStats' } });
    await events.next(is('subscribed', 'stats'));
    const closing = api!.close();
    api = undefined;
    expect((await events.closed).code).toBe(1001);
    await closing;
  });
});
