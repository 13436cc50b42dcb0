import type { z } from 'zod';
import type { EndpointName, Endpoints } from '../../shared/api/endpoints.js';
import type { ResponseOf } from '../../shared/api/client.js';
import type { ApiServices } from './ApiServices.js';
import type { Principal } from './Principal.js';

type Parsed<E, K extends 'params' | 'query' | 'body'> = E extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** What the audit log records about a change; a handler fills in what it knows. */
export interface AuditNote {
  /** What was changed, e.g. `queue:mail` or `task:mail/0193…`. Default: the request path. */
  target?: string;
  /** A summary of the state before and after; secrets are redacted on the way in. */
  before?: unknown;
  after?: unknown;
}

export interface EndpointCall<N extends EndpointName> {
  params: Parsed<Endpoints[N], 'params'>;
  query: Parsed<Endpoints[N], 'query'>;
  body: Parsed<Endpoints[N], 'body'>;
  /** Null only on public endpoints. */
  principal: Principal | null;
  /** The caller's address as the agent saw it. */
  address: string;
  audit: AuditNote;
}

/** Answers one endpoint; throws `ApiProblem`, `EngineError` or a security error to refuse. */
export type EndpointHandler<N extends EndpointName> = (call: EndpointCall<N>, services: ApiServices) => Promise<ResponseOf<N>>;

export type EndpointHandlers<N extends EndpointName = EndpointName> = { [K in N]: EndpointHandler<K> };

/** The signed-in principal of an endpoint that is not public. */
export function signedIn(call: { principal: Principal | null }): Principal {
  if (!call.principal) throw new Error('a non-public endpoint was called without a principal');
  return call.principal;
}
