import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { apiPrefix } from '../../../shared/api/endpoint.js';
import { apiErrorCodes, type ApiErrorBody } from '../../../shared/api/errors.js';
import { eventCloseCodes, eventsPath, eventStreamLimits } from '../../../shared/api/events.js';
import type { ApiServices } from '../ApiServices.js';
import { authenticate } from '../authenticate.js';
import { EventConnection, type Authenticated } from './EventConnection.js';

/** Sockets one agent holds at once; more are closed with 1013 (try again later). */
const maxSockets = 10_000;
/** How long shutting down waits for clients to answer the close handshake before cutting them off. */
const closeGraceMs = 1_000;

/**
 * The event stream, `GET /api/v1/events` (docs/events.md): registers `@fastify/websocket` (call it
 * before the other routes, so an upgrade to any of them is refused) and the route. A credential
 * comes in the first message, or in an `Authorization: Bearer` header on the upgrade for clients
 * that can set one (a bad header is answered 401 before upgrading); never in the URL, which ends
 * up in logs. Closing the server closes every socket with 1001.
 */
export async function registerEventStream(server: FastifyInstance, services: ApiServices): Promise<void> {
  await server.register(fastifyWebsocket, {
    options: { maxPayload: eventStreamLimits.maxMessageBytes, perMessageDeflate: false },
    errorHandler: (error, socket) => {
      services.log.debug({ err: error }, 'event stream socket failed');
      socket.terminate();
    },
    preClose: async () => closeEverySocket(server),
  });

  const check = (token: string) => authenticateToken(token, services);
  const signedInByHeader = new WeakMap<FastifyRequest, Authenticated & { token: string }>();

  server.route({
    method: 'GET',
    url: `${apiPrefix}${eventsPath}`,
    schema: { hide: true },
    onRequest: async (request) => {
      const header = request.headers.authorization;
      if (header === undefined) return;
      const principal = await authenticate(header, services);
      const token = /^Bearer +(\S+)$/i.exec(header)![1]!;
      signedInByHeader.set(request, { principal, expiresAt: expiryOf(token, principal.kind), token });
    },
    handler: async (_request, reply) =>
      reply.code(426).header('upgrade', 'websocket').send({ error: { code: apiErrorCodes.invalidRequest, message: 'the event stream is a WebSocket: connect with an Upgrade request (see docs/events.md)' } } satisfies ApiErrorBody),
    wsHandler: (socket, request) => {
      if (server.websocketServer.clients.size > maxSockets) {
        socket.close(eventCloseCodes.tryAgainLater, 'the agent holds as many event sockets as it allows');
        return;
      }
      new EventConnection({ socket, hub: services.events, authenticate: check, log: services.log, signedIn: signedInByHeader.get(request) });
    },
  });
}

async function authenticateToken(token: string, services: ApiServices): Promise<Authenticated> {
  const principal = await authenticate(`Bearer ${token}`, services);
  return { principal, expiresAt: expiryOf(token, principal.kind) };
}

/** An access token's `exp` (it was verified just before); null for an API key. */
function expiryOf(token: string, kind: 'user' | 'apiKey'): number | null {
  if (kind === 'apiKey') return null;
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : null;
}

/** Asks every client to close (1001), waits a moment for the handshakes, then cuts off the rest. */
async function closeEverySocket(server: FastifyInstance): Promise<void> {
  const sockets = server.websocketServer;
  for (const client of sockets.clients) client.close(1001, 'the agent is shutting down');
  await new Promise<void>((resolve) => {
    const cutOff = setTimeout(() => {
      for (const client of sockets.clients) client.terminate();
    }, closeGraceMs);
    sockets.close(() => {
      clearTimeout(cutOff);
      resolve();
    });
  });
}
