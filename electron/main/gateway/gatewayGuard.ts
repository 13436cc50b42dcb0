import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { gatewaySecretCookie, gatewaySecretHeader } from '../../../shared/gateway.js';

/** Why a request was refused, as the status and message to answer. */
export interface Refusal {
  status: number;
  code: 'unauthenticated' | 'forbidden' | 'invalid_request';
  message: string;
}

/**
 * Checks that a request was addressed to this gateway by name. Any local process and any web page
 * can connect to a loopback port, and a page can rebind its own DNS name to 127.0.0.1; its
 * requests then carry that name in `Host`. So `Host` must be the gateway's own `127.0.0.1:<port>`
 * (421 Misdirected Request otherwise).
 */
export function checkHost(request: IncomingMessage, host: string): Refusal | undefined {
  if (request.headers.host === host) return undefined;
  return { status: 421, code: 'invalid_request', message: `this gateway answers only requests addressed to ${host}` };
}

/**
 * Checks a request to a cluster (`/c/…`), after `checkHost`:
 * - a browser's `Sec-Fetch-Site: cross-site` or `same-site` means another page sent it: 403;
 * - an `Origin` header, when present, must be the gateway's own origin: 403;
 * - the per-launch secret must come in the `gatewaySecretCookie` cookie (the app's window) or the
 *   `gatewaySecretHeader` header (the main process, tests): 401.
 */
export function checkClusterRequest(request: IncomingMessage, origin: string, secret: string): Refusal | undefined {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return { status: 403, code: 'forbidden', message: 'requests from other sites are refused' };
  const from = request.headers.origin;
  if (from !== undefined && from !== origin) return { status: 403, code: 'forbidden', message: `requests from ${from} are refused: only the app's own pages may use the gateway` };
  const presented = headerValue(request.headers[gatewaySecretHeader]) ?? cookieValue(request.headers.cookie, gatewaySecretCookie);
  if (presented === undefined || !sameSecret(presented, secret)) {
    return { status: 401, code: 'unauthenticated', message: "the gateway's secret is missing or wrong: only the app's own window may use it" };
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The value of cookie `name` in a `Cookie` header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** Compares in constant time, so the secret cannot be guessed a character at a time by timing. */
function sameSecret(presented: string, secret: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
