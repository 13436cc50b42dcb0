import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorBody } from '../../../shared/api/errors.js';
import type { ClusterProfile } from '../../../shared/clusters.js';
import { SignInRequired } from '../clusters/SignInRequired.js';
import type { Refusal } from './gatewayGuard.js';
import { ChangedHostKeyError, UnknownHostKeyError } from './Upstream.js';

/** A gateway answer in the agent's error shape, so the renderer shows it like any API error. */
export interface Problem {
  status: number;
  code: ApiErrorBody['error']['code'];
  message: string;
}

/** Where a profile points, in words: `https://agent.example:7700` or `ssh ops@host:22, agent port 7700`. */
export function describeAddress(profile: ClusterProfile): string {
  const connection = profile.connection;
  if (connection.kind === 'direct') return connection.url;
  return `ssh ${connection.username}@${connection.host}:${connection.port}, agent port ${connection.agentPort}`;
}

/** The answer for a cluster request that could not be sent: no credential (401), or no way to the agent (502). */
export function clusterProblem(error: unknown, profile: ClusterProfile): Problem {
  if (error instanceof SignInRequired) {
    return { status: 401, code: 'unauthenticated', message: `cluster ${profile.name}: ${error.reason}; sign in to it again (or give it an API key) in the Clusters view` };
  }
  if (error instanceof UnknownHostKeyError) {
    return { status: 502, code: 'unavailable', message: `cluster ${profile.name}: ${error.message} in the Clusters view` };
  }
  if (error instanceof ChangedHostKeyError) return { status: 502, code: 'unavailable', message: `cluster ${profile.name}: ${error.message}` };
  const why = error instanceof Error ? error.message || error.name : String(error);
  return {
    status: 502,
    code: 'unavailable',
    message: `cannot reach cluster ${profile.name} (${describeAddress(profile)}): ${why}. Check that its agent is running and that the address is right (edit the cluster in the Clusters view); the next request tries again.`,
  };
}

/** The answer for a cluster that has no credential at all. */
export function notSignedIn(profile: ClusterProfile): Problem {
  return { status: 401, code: 'unauthenticated', message: `you are not signed in to cluster ${profile.name}: sign in to it (or give it an API key) in the Clusters view` };
}

export function sendProblem(response: ServerResponse, problem: Problem | Refusal): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: problem.code, message: problem.message } } satisfies ApiErrorBody);
  response.writeHead(problem.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) }).end(body);
}

/** Answers a WebSocket upgrade that will not be accepted with a plain HTTP error, then closes the socket. */
export function refuseUpgrade(socket: Duplex, problem: Problem | Refusal): void {
  const body = JSON.stringify({ error: { code: problem.code, message: problem.message } } satisfies ApiErrorBody);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
