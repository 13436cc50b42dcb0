import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { GatewayCluster } from './GatewayCluster.js';
import { clusterProblem, notSignedIn, sendProblem } from './gatewayProblem.js';
import type { Upstream } from './Upstream.js';

/**
 * Request bodies up to this size are kept while they stream upstream, so that a request answered
 * 401 (an access token that expired on the way) can be sent again after one refresh. A larger
 * body streams without a copy, and its 401 goes back to the page as it is.
 */
const replayLimitBytes = 1024 * 1024;

/**
 * Request headers never forwarded: hop-by-hop ones, the page's own credentials and cookies (the
 * gateway's secret among them), and what describes the browser page rather than the request
 * (to the agent, the gateway is the client).
 */
const droppedRequestHeaders = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'authorization',
  'cookie',
  'origin',
  'referer',
]);

/** Response headers never passed back: hop-by-hop ones, and cookies (every cluster shares the gateway's origin). */
const droppedResponseHeaders = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'set-cookie']);

/**
 * Sends one request to a cluster's agent at `path` (what followed `/c/<id>`, with its query) and
 * streams the answer back, with the cluster's `Authorization` in place of any the page sent.
 * No credential: 401 saying to sign in. The agent unreachable: 502 saying what to check, and the
 * upstream is dropped so the next request opens it again.
 */
export async function proxyRequest(request: IncomingMessage, response: ServerResponse, cluster: GatewayCluster, path: string): Promise<void> {
  let upstream: Upstream;
  let token: string | undefined;
  try {
    upstream = await cluster.upstream();
    token = await cluster.session.token();
  } catch (error) {
    request.resume();
    return sendProblem(response, clusterProblem(error, cluster.profile));
  }
  if (token === undefined) {
    request.resume();
    return sendProblem(response, notSignedIn(cluster.profile));
  }
  const target = new URL(`${upstream.origin}${path}`);
  if (!`${target.origin}${target.pathname}`.startsWith(`${upstream.origin}/`)) {
    // Dot segments (`/c/prod/../x`) must not leave the agent's path prefix with its credential.
    request.resume();
    return sendProblem(response, { status: 400, code: 'invalid_request', message: 'the path leaves the cluster: remove the ./ and ../ segments' });
  }

  const kept: Buffer[] = [];
  let keptBytes = 0;
  let replayable = true;
  request.on('data', (chunk: Buffer) => {
    if (!replayable) return;
    keptBytes += chunk.length;
    if (keptBytes > replayLimitBytes) {
      replayable = false;
      kept.length = 0;
    } else kept.push(chunk);
  });

  try {
    let answer = await send(request, response, target, token, request);
    if (answer.statusCode === 401) {
      const retryWith = await cluster.session.rejected(token).catch((error: unknown) => {
        answer.resume();
        throw error;
      });
      if (retryWith !== undefined && replayable && request.readableEnded) {
        answer.resume();
        answer = await send(request, response, target, retryWith, Buffer.concat(kept));
      }
    }
    kept.length = 0;
    pass(answer, response);
  } catch (error) {
    if (!(error instanceof UpstreamRequestError)) return sendProblem(response, clusterProblem(error, cluster.profile));
    await cluster.discard(upstream);
    sendProblem(response, clusterProblem(upstream.lastError ?? error.cause, cluster.profile));
  }
}

/** The request could not be sent or was not answered: the upstream is down. */
class UpstreamRequestError extends Error {}

/** Sends the request with `token`, its body from the page's stream or a kept copy; resolves with the agent's answer. */
function send(request: IncomingMessage, response: ServerResponse, target: URL, token: string, body: IncomingMessage | Buffer): Promise<IncomingMessage> {
  const headers = forwardedHeaders(request.headers);
  headers.authorization = `Bearer ${token}`;
  const outgoing = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: request.method, headers });
  // The page gave up: stop the agent's work on its behalf.
  const abandon = () => {
    if (!response.writableFinished) outgoing.destroy();
  };
  response.once('close', abandon);
  return new Promise((resolve, reject) => {
    outgoing.once('response', (answer) => resolve(answer));
    outgoing.once('error', (error) => {
      response.off('close', abandon);
      reject(new UpstreamRequestError(error.message, { cause: error }));
    });
    if (Buffer.isBuffer(body)) outgoing.end(body);
    else body.pipe(outgoing);
  });
}

function pass(answer: IncomingMessage, response: ServerResponse): void {
  if (response.destroyed) {
    answer.destroy();
    return;
  }
  const headers: OutgoingHttpHeaders = {};
  const named = connectionHeaderNames(answer.headers);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !droppedResponseHeaders.has(name) && !named.has(name)) headers[name] = value;
  }
  response.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
  answer.pipe(response);
  answer.once('error', () => response.destroy());
  answer.once('aborted', () => response.destroy());
}

function forwardedHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionHeaderNames(incoming);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || droppedRequestHeaders.has(name) || named.has(name) || name.startsWith('sec-fetch-') || name.startsWith('x-switchyard-')) continue;
    headers[name] = value;
  }
  return headers;
}

/** Headers a message's `Connection` header names: hop-by-hop too. */
function connectionHeaderNames(headers: IncomingHttpHeaders): Set<string> {
  return new Set(
    (headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
}
