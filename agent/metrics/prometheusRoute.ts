import type { FastifyInstance } from 'fastify';
import type { ApiServices } from '../api/ApiServices.js';
import { authenticate, authorise } from '../api/authenticate.js';

/**
 * `GET /metrics`: the Prometheus text format (outside `/api/v1`, where scrapers look). It asks for
 * the same credential as the API with the `read` permission — an API key with the `read` scope in
 * Prometheus' `authorization: { credentials_file: … }` — because queue names and counts are not
 * for anyone who can reach the port (docs/metrics.md).
 */
export function prometheusRoute(server: FastifyInstance, services: Pick<ApiServices, 'metrics' | 'accessTokens' | 'apiKeys'>): void {
  server.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    authorise(await authenticate(request.headers.authorization, services), 'read');
    const text = await services.metrics.prometheus.text();
    return reply.type(services.metrics.prometheus.contentType).header('cache-control', 'no-store').send(text);
  });
}
