import { WebSocket } from 'ws';
import { apiPrefix } from '../../shared/api/endpoint.js';
import { eventsPath, type ServerMessage } from '../../shared/api/events.js';
import { until } from './until.js';

/** A `ws` client on an agent's event stream that records everything it is sent. */
export interface EventSocket {
  socket: WebSocket;
  /** Every message received, parsed, oldest first. */
  messages: ServerMessage[];
  /** Resolves with the close code and reason once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Waits for the first message received from index `after` on that matches. */
  next<T extends ServerMessage>(match: (message: ServerMessage) => message is T, options?: { after?: number; timeoutMs?: number; message?: string }): Promise<T>;
  next(match: (message: ServerMessage) => boolean, options?: { after?: number; timeoutMs?: number; message?: string }): Promise<ServerMessage>;
  /** Events of subscription `id` received so far. */
  eventsOf(id: string): Array<Extract<ServerMessage, { type: 'event' }>>;
  close(): Promise<void>;
}

/** Opens a socket to `agentUrl`'s event stream (optionally with upgrade headers) and waits until it is open. */
export async function openEventSocket(agentUrl: string, headers: Record<string, string> = {}): Promise<EventSocket> {
  const socket = new WebSocket(`${agentUrl.replace(/^http/, 'ws')}${apiPrefix}${eventsPath}`, { headers });
  const messages: ServerMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused with ${response.statusCode}`)));
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: (match: (message: ServerMessage) => boolean, { after = 0, timeoutMs = 10_000, message = 'a matching message' } = {}) =>
      until(() => messages.slice(after).find(match), { timeoutMs, message }),
    eventsOf: (id) => messages.filter((message): message is Extract<ServerMessage, { type: 'event' }> => message.type === 'event' && message.id === id),
    close: async () => {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
    },
  } as EventSocket;
}

/** Opens a socket and authenticates with `token` by the first message; waits for `authenticated`. */
export async function signedInEventSocket(agentUrl: string, token: string): Promise<EventSocket> {
  const events = await openEventSocket(agentUrl);
  events.send({ type: 'authenticate', token });
  await events.next((message) => message.type === 'authenticated', { message: 'authenticated' });
  return events;
}
