import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiPrefix, type Endpoint } from '../../shared/api/endpoint.js';
import { endpoints, type EndpointName } from '../../shared/api/endpoints.js';
import { apiErrorCodes } from '../../shared/api/errors.js';
import { ApiProblem } from './ApiProblem.js';
import type { ApiServices } from './ApiServices.js';
import { authenticate, authorise } from './authenticate.js';
import type { AuditNote, EndpointCall, EndpointHandler, EndpointHandlers } from './EndpointHandler.js';
import type { Principal } from './Principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set before validation on every non-public endpoint. */
    principal: Principal | null;
  }
}

/** Refuses a request of an API key over its per-second limit, with how long to wait. */
async function limit(services: ApiServices, keyId: string): Promise<void> {
  const verdict = await services.apiKeyLimiter.take(keyId);
  if (!verdict.allowed) {
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    throw new ApiProblem(429, apiErrorCodes.rateLimited, 'this API key is over its request rate; slow down', undefined, seconds);
  }
}

/**
 * Registers every endpoint of the table with its handler. Per request, in order: authenticate
 * and check access (before the body is even parsed), validate params, query and body against
 * the endpoint's schemas, run the handler, and write the audit entry of a successful change.
 */
export function registerEndpoints(server: FastifyInstance, services: ApiServices, handlers: EndpointHandlers): void {
  server.decorateRequest('principal', null);
  const typed = server.withTypeProvider<ZodTypeProvider>();
  for (const name of Object.keys(endpoints) as EndpointName[]) {
    const declared: Endpoint = endpoints[name];
    const handler = handlers[name] as EndpointHandler<EndpointName>;
    const status = declared.status ?? (declared.response ? 200 : 204);
    const audited = declared.audited ?? declared.method !== 'GET';
    const access = declared.access;
    typed.route({
      method: declared.method,
      url: `${apiPrefix}${declared.path}`,
      schema: {
        operationId: name,
        summary: declared.summary,
        tags: [name.split('.')[0]!],
        ...(access === 'public' ? {} : { security: [{ bearer: [] }] }),
        ...(declared.params && { params: declared.params }),
        ...(declared.query && { querystring: declared.query }),
        ...(declared.body && { body: declared.body }),
        ...(declared.response && { response: { [status]: declared.response } }),
      },
      onRequest: async (request) => {
        if (access === 'public') return;
        const principal = await authenticate(request.headers.authorization, services);
        if (principal.kind === 'apiKey') await limit(services, principal.id);
        authorise(principal, access);
        request.principal = principal;
      },
      handler: async (request, reply) => {
        const audit: AuditNote = {};
        const call = { params: request.params, query: request.query, body: request.body, principal: request.principal, address: request.ip, audit } as EndpointCall<EndpointName>;
        const result = await handler(call, services);
        if (audited) {
          const principal = request.principal;
          await services.audit.append({
            actor: principal ? { kind: principal.kind, id: principal.id, name: principal.name, role: principal.role } : { kind: 'system', id: name, name, role: null },
            action: name,
            target: audit.target ?? request.url.split('?')[0]!,
            before: audit.before ?? null,
            after: audit.after ?? null,
            address: request.ip,
          });
        }
        return status === 204 ? reply.code(204).send() : reply.code(status).send(result);
      },
    });
  }
}
