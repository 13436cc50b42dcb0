import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiPrefix } from '../../../shared/api/endpoint.js';
import { eventsPath, eventStreamLimits } from '../../../shared/api/events.js';
import { bridgeEventStream } from './bridgeEventStream.js';
import type { GatewayClusters } from './GatewayCluster.js';
import { checkClusterRequest, checkHost } from './gatewayGuard.js';
import { refuseUpgrade, sendProblem } from './gatewayProblem.js';
import { proxyRequest } from './proxyRequest.js';
import { defaultRendererDirectory, serveRenderer } from './rendererFiles.js';

export interface GatewayOptions {
  /** Finds a cluster by id (`ClusterService.link`). */
  clusters: GatewayClusters;
  /** The built renderer. Default `out/renderer` (`defaultRendererDirectory`). */
  rendererDirectory?: string;
}

export interface Gateway {
  /** `http://127.0.0.1:<port>`: load the window from here. */
  origin: string;
  /** This launch's secret: set it as the `gatewaySecretCookie` cookie (HttpOnly, SameSite=Strict) on the window's session. */
  secret: string;
  /** Stops listening and closes every connection and event stream. */
  close(): Promise<void>;
}

/** `/c/<clusterId>` then the rest of the path (with its query), which goes to the agent as it is. */
const clusterPath = /^\/c\/([^/?#]+)(\/[^?#]*)?(\?.*)?$/;

/**
 * The desktop app's gateway (docs/desktop-gateway.md): an HTTP server on 127.0.0.1 at a free port
 * that serves the renderer and routes `/c/<clusterId>/<rest>` to the cluster's agent, for every
 * method, with the cluster's credential; `/c/<clusterId>/api/v1/events` WebSocket upgrades are
 * bridged to the agent's event stream. Every request must name the gateway in `Host`; cluster
 * requests must also carry the per-launch secret and come from the app's own origin
 * (`gatewayGuard.ts`).
 */
export async function startGateway({ clusters, rendererDirectory = defaultRendererDirectory() }: GatewayOptions): Promise<Gateway> {
  const secret = randomBytes(32).toString('base64url');
  const pages = new WebSocketServer({ noServer: true, maxPayload: eventStreamLimits.maxMessageBytes, perMessageDeflate: false });
  const agentSockets = new Set<WebSocket>();
  /** Upgrades waiting for their agent's socket to open: not the server's connections any more. */
  const upgrading = new Set<Duplex>();
  let host = '';
  let origin = '';

  const route = (request: IncomingMessage, response: ServerResponse) => {
    const refusedHost = checkHost(request, host);
    if (refusedHost) return sendProblem(response, refusedHost);
    const url = request.url ?? '/';
    const match = clusterPath.exec(url);
    if (!match) {
      if (url === '/c' || url.startsWith('/c/') || url.startsWith('/c?')) return sendProblem(response, { status: 404, code: 'not_found', message: 'name a cluster: /c/<clusterId>/…' });
      return serveRenderer(request, response, rendererDirectory, url.split('?')[0] ?? '/');
    }
    const refused = checkClusterRequest(request, origin, secret);
    if (refused) return sendProblem(response, refused);
    const id = decodeSegment(match[1]!);
    const cluster = id === undefined ? undefined : clusters(id);
    if (!cluster) return sendProblem(response, { status: 404, code: 'not_found', message: `there is no cluster ${id ?? match[1]} in this app: add it in the Clusters view` });
    return proxyRequest(request, response, cluster, `${match[2] ?? '/'}${match[3] ?? ''}`);
  };

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgrading.add(socket);
    socket.once('close', () => upgrading.delete(socket));
    const refused = checkHost(request, host) ?? checkClusterRequest(request, origin, secret);
    if (refused) return refuseUpgrade(socket, refused);
    const match = clusterPath.exec(request.url ?? '/');
    const path = match?.[2] ?? '';
    if (!match || path !== `${apiPrefix}${eventsPath}`) return refuseUpgrade(socket, { status: 404, code: 'not_found', message: `only /c/<clusterId>${apiPrefix}${eventsPath} takes a WebSocket` });
    const id = decodeSegment(match[1]!);
    const cluster = id === undefined ? undefined : clusters(id);
    if (!cluster) return refuseUpgrade(socket, { status: 404, code: 'not_found', message: `there is no cluster ${id ?? match[1]} in this app: add it in the Clusters view` });
    return bridgeEventStream(request, socket, head, cluster, `${path}${match[3] ?? ''}`, pages, agentSockets);
  };

  const server = createServer((request, response) => {
    route(request, response)?.catch((error: unknown) => {
      sendProblem(response, { status: 500, code: 'internal_error', message: `the gateway failed: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(request, socket, head)
      ?.catch(() => socket.destroy())
      .finally(() => upgrading.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    origin,
    secret,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const page of pages.clients) page.terminate();
      for (const agent of agentSockets) agent.terminate();
      for (const socket of upgrading) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => pages.close(() => resolve()));
      await closed;
    },
  };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
