/**
 * The console's event-stream client (renderer/src/events/EventStream.ts) against a real agent,
 * through a loopback TCP relay the test can cut: it authenticates with the access token,
 * subscribes, reconnects after a drop and subscribes again, re-authenticates the open socket with
 * a refreshed token, and stops delivering after an unsubscribe. Node 20 has no global WebSocket,
 * so the stream is given `ws`'s, which implements the same browser interface.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { EventData } from '../../../shared/api/events.js';
import { EventStream, type ConnectionStatus } from '../../../renderer/src/events/EventStream.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { until } from '../../helpers/until.js';

/** A TCP relay to the agent that counts the connections it carried and can cut them all. */
interface Relay {
  port: number;
  connections: number;
  cutAll(): void;
  close(): Promise<void>;
}

async function startRelay(targetPort: number): Promise<Relay> {
  const open = new Set<Socket>();
  const relay = { connections: 0 } as Relay;
  const server: Server = createServer((client) => {
    relay.connections += 1;
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as AddressInfo).port;
  relay.cutAll = () => {
    for (const socket of open) socket.destroy();
  };
  relay.close = () => {
    relay.cutAll();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return relay;
}

describe('the console event stream client', () => {
  let api: ApiTestAgent;
  let relay: Relay;
  const queue = 'stream-orders';

  beforeAll(async () => {
    api = await startApiTestAgent();
    relay = await startRelay(Number(new URL(api.url).port));
    await api.client('operator').call('queues.create', { body: { name: queue } });
  }, 60_000);
  afterAll(async () => {
    await relay?.close();
    await api?.close();
  });

  /** A stream through the relay as the operator, recording every status and `queueStats` event. */
  function openStream(token: () => string | undefined) {
    const statuses: ConnectionStatus[] = [];
    const stream = new EventStream({
      url: () => `ws://127.0.0.1:${relay.port}/api/v1/events`,
      token,
      onStatus: (status) => statuses.push(status),
      openSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
    });
    return { stream, statuses };
  }

  const queuedIn = (data: EventData<'queueStats'> | undefined) => data?.queues.find((stats) => stats.name === queue)?.counts.queued;

  it('subscribes once authenticated, reconnects after a drop and subscribes again', async () => {
    const before = relay.connections;
    const { stream, statuses } = openStream(() => api.sessions.operator.accessToken);
    const events: Array<EventData<'queueStats'>> = [];
    stream.subscribe({ kind: 'queueStats', queue }, (data) => events.push(data));
    await until(() => events.length > 0, { message: 'a first queueStats event' });
    expect(statuses.map((status) => status.state).slice(0, 2)).toEqual(['connecting', 'open']);
    const queuedBefore = queuedIn(events.at(-1))!;

    relay.cutAll();
    await until(() => statuses.some((status) => status.state === 'reconnecting'), { message: 'the stream to notice the drop' });
    expect(statuses.find((status) => status.state === 'reconnecting')?.problem).toBe('the connection was lost');
    await api.client('operator').call('tasks.enqueue', { params: { name: queue }, body: { type: 'after-drop' } });
    await until(() => queuedIn(events.at(-1)) === queuedBefore + 1, { message: 'events again after the reconnect, with the new task' });
    expect(relay.connections - before).toBe(2);
    expect(statuses.at(-1)).toEqual({ state: 'open', problem: null });
    stream.close();
    expect(statuses.at(-1)).toEqual({ state: 'closed', problem: null });
  }, 30_000);

  it('re-authenticates the open socket with a refreshed token instead of reconnecting', async () => {
    const before = relay.connections;
    let token = api.sessions.operator.accessToken;
    const { stream, statuses } = openStream(() => token);
    await until(() => statuses.some((status) => status.state === 'open'), { message: 'the stream to open' });
    const refreshed = await api.client().call('auth.refresh', { body: { refreshToken: api.sessions.operator.refreshToken } });
    expect(refreshed.accessToken).not.toBe(token);
    token = refreshed.accessToken;
    const opens = () => statuses.filter((status) => status.state === 'open').length;
    stream.reauthenticate();
    await until(() => opens() === 2, { message: 'the agent to answer authenticated again' });
    expect(relay.connections - before).toBe(1);

    stream.reauthenticate();
    token = 'not-a-token';
    stream.reauthenticate();
    await until(() => statuses.at(-1)?.problem?.startsWith('live updates: the token is not a valid access token'), { message: 'the refusal of a bad token' });
    expect(statuses.at(-1)?.state).toBe('open');
    stream.close();
  }, 30_000);

  it('delivers nothing more after an unsubscribe, and reports a refused topic', async () => {
    const { stream, statuses } = openStream(() => api.sessions.operator.accessToken);
    const events: unknown[] = [];
    const others: unknown[] = [];
    const stop = stream.subscribe({ kind: 'queueStats', queue }, (data) => events.push(data));
    stream.subscribe({ kind: 'queueStats' }, (data) => others.push(data));
    await until(() => events.length > 0 && others.length > 0, { message: 'first events of both subscriptions' });
    stop();
    const count = events.length;
    const othersBefore = others.length;
    await until(() => others.length >= othersBefore + 2, { message: 'two more seconds of events on the other subscription' });
    expect(events.length).toBe(count);

    stream.subscribe({ kind: 'queueStats', queue: 'no-such-queue' }, () => undefined);
    await until(() => statuses.at(-1)?.problem?.startsWith('live updates refused:'), { message: 'the refusal of an unknown queue' });
    expect(statuses.at(-1)?.state).toBe('open');
    stream.close();
  }, 30_000);
});
