import type { z } from 'zod';
import { ApiError } from './ApiError.js';
import { apiPrefix } from './endpoint.js';
import { endpoints, type EndpointName, type Endpoints } from './endpoints.js';
import { apiErrorCodes, type ApiErrorBody } from './errors.js';

/**
 * The typed API client (`switchyard/client`), used alike by the console, `taskctl` and
 * applications: `client.call('tasks.enqueue', { params: { name: 'mail' }, body: { type: 'send' } })`.
 * Request and answer types come from the endpoint table, so a call that does not match the
 * agent's schemas does not compile.
 *
 * The transport is injected (`fetch`, the global one by default), so this module does no I/O of
 * its own and runs in the browser, in Node and in Electron alike.
 */

/** The part of the Fetch API the client uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignalLike },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** An `AbortSignal`, typed structurally (the contract has no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

type Part<E, K extends 'params' | 'query' | 'body'> = E extends { [P in K]: infer S extends z.ZodType } ? { [P in K]: z.input<S> } : { [P in K]?: undefined };

/** What a call of endpoint `N` takes: `params`, `query` and `body` where the endpoint has them. */
export type RequestOf<N extends EndpointName> = Part<Endpoints[N], 'params'> & Part<Endpoints[N], 'query'> & Part<Endpoints[N], 'body'> & { signal?: AbortSignalLike };

/** What a call of endpoint `N` answers (`undefined` for 204 No Content). */
export type ResponseOf<N extends EndpointName> = Endpoints[N]['response'] extends z.ZodType ? z.output<Endpoints[N]['response']> : undefined;

export interface ApiClientOptions {
  /**
   * The agent's address, e.g. `http://127.0.0.1:7700` (a path prefix is kept), or a function read
   * at each call — the desktop app's console points it at `/c/<cluster>` of its gateway and
   * changes it when the user switches cluster.
   */
  baseUrl: string | (() => string);
  /** The `Authorization` header for each call (`Bearer <access token or API key>`), or nothing. */
  authorization?: () => string | undefined | Promise<string | undefined>;
  fetch?: FetchLike;
}

export interface ApiClient {
  call<N extends EndpointName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
  /** The full URL of an endpoint with its path parameters filled in. */
  url<N extends EndpointName>(name: N, request: Pick<RequestOf<N>, 'params' | 'query'>): string;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetch = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (!fetch) throw new Error('no fetch function: pass one in options.fetch');
  const { baseUrl } = options;
  const base = () => (typeof baseUrl === 'string' ? baseUrl : baseUrl());

  const url = (name: EndpointName, request: { params?: unknown; query?: unknown }): string =>
    `${base().replace(/\/+$/, '')}${apiPrefix}${fillPath(endpoints[name].path, request.params as Record<string, unknown> | undefined)}${queryString(request.query as Record<string, unknown> | undefined)}`;

  return {
    url,
    async call(name, request) {
      const declared = endpoints[name];
      const headers: Record<string, string> = { accept: 'application/json' };
      const authorization = await options.authorization?.();
      if (authorization) headers.authorization = authorization;
      let body: string | undefined;
      if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.body);
      }
      const response = await fetch(url(name, request), { method: declared.method, headers, body, signal: request.signal });
      const text = await response.text();
      if (response.status >= 400) throw new ApiError(response.status, errorOf(response.status, text));
      return (text === '' ? undefined : JSON.parse(text)) as ResponseOf<typeof name>;
    },
  };
}

function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined) throw new Error(`path parameter ${key} is missing`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  const pairs = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
  if (pairs.length === 0) return '';
  return `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}`;
}

/** The error body the agent sent, or one made up from the status when it sent none (a proxy's page). */
function errorOf(status: number, text: string): ApiErrorBody['error'] {
  try {
    const parsed = JSON.parse(text) as Partial<ApiErrorBody>;
    if (parsed.error && typeof parsed.error.message === 'string') return parsed.error;
  } catch {
    // not JSON: fall through
  }
  return { code: status >= 500 ? apiErrorCodes.unavailable : apiErrorCodes.invalidRequest, message: `HTTP ${status}: ${text.slice(0, 200) || 'no body'}` };
}

export { ApiError } from './ApiError.js';
export { endpoints, type EndpointName } from './endpoints.js';
