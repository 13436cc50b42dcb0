import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import type { GatewayCluster } from './GatewayCluster.js';
import { clusterProblem, notSignedIn, refuseUpgrade } from './gatewayProblem.js';
import type { Upstream } from './Upstream.js';

/**
 * Joins a page's WebSocket to a cluster's event stream (`/c/<id>/api/v1/events` →
 * `<upstream>/api/v1/events`, docs/events.md). The gateway opens the agent's socket first and
 * authenticates it with the cluster's credential as its first message; only then does it accept
 * the page's upgrade, so a page never sees a socket to an agent it cannot use (it gets the HTTP
 * 401 or 502 instead). From then on:
 * - page → agent: every message passes, except `authenticate` (the page holds no credential;
 *   whatever it sends in its place is dropped);
 * - agent → page: every message passes, the agent's `authenticated` answers included;
 * - each time the session's access token is refreshed, the gateway sends `authenticate` with the
 *   new one on the open socket, so it outlives the token it started with;
 * - either side closing closes the other with the same code where it may be sent.
 */
export async function bridgeEventStream(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  cluster: GatewayCluster,
  path: string,
  pages: WebSocketServer,
  agentSockets: Set<WebSocket>,
): Promise<void> {
  let upstream: Upstream;
  let token: string | undefined;
  try {
    upstream = await cluster.upstream();
    token = await cluster.session.token();
  } catch (error) {
    return refuseUpgrade(socket, clusterProblem(error, cluster.profile));
  }
  if (token === undefined) return refuseUpgrade(socket, notSignedIn(cluster.profile));

  const agent = new WebSocket(`${upstream.origin.replace(/^http/, 'ws')}${path}`, { perMessageDeflate: false });
  agentSockets.add(agent);
  agent.once('close', () => agentSockets.delete(agent));
  try {
    await new Promise<void>((resolve, reject) => {
      agent.once('open', () => resolve());
      agent.once('error', reject);
      agent.once('unexpected-response', (_request, response) => reject(new Error(`the agent refused the event stream with HTTP ${response.statusCode}`)));
    });
  } catch (error) {
    agent.terminate();
    await cluster.discard(upstream);
    return refuseUpgrade(socket, clusterProblem(upstream.lastError ?? error, cluster.profile));
  }
  agent.on('error', () => agent.terminate());
  agent.send(JSON.stringify({ type: 'authenticate', token }));
  if (socket.destroyed) {
    agent.close(1001, 'the page went away');
    return;
  }

  pages.handleUpgrade(request, socket, head, (page) => {
    const unwatch = cluster.session.watch((fresh) => {
      if (agent.readyState === WebSocket.OPEN) agent.send(JSON.stringify({ type: 'authenticate', token: fresh }));
    });
    page.on('error', () => page.terminate());
    page.on('message', (data, isBinary) => {
      if (!isBinary && isAuthenticate(data)) return;
      if (agent.readyState === WebSocket.OPEN) agent.send(data, { binary: isBinary });
    });
    agent.on('message', (data, isBinary) => {
      if (page.readyState === WebSocket.OPEN) page.send(data, { binary: isBinary });
    });
    page.once('close', (code, reason) => {
      unwatch();
      closeWith(agent, code, reason);
    });
    agent.once('close', (code, reason) => {
      unwatch();
      closeWith(page, code, reason);
    });
    if (agent.readyState !== WebSocket.OPEN) closeWith(page, 1011, Buffer.from('the agent closed the event stream'));
  });
}

function isAuthenticate(data: RawData): boolean {
  try {
    const message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8')) as unknown;
    return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'authenticate';
  } catch {
    return false;
  }
}

/** Closes `socket` with the other side's code when that code may be sent (not 1005 "none" or 1006 "abnormal"). */
function closeWith(socket: WebSocket, code: number, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) return;
  const sendable = code === 1000 || code === 1001 || (code >= 1003 && code <= 1014 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
  if (code === 1005) socket.close();
  else if (sendable) socket.close(code, reason);
  else socket.close(1011, 'the other side of the event stream ended abnormally');
}
