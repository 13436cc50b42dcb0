import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { refuseUnstorableText } from './refuseUnstorableText.js';
import type { ApiServices } from './ApiServices.js';
import { installErrorHandler } from './errorHandler.js';
import { apiHandlers } from './handlers/apiHandlers.js';
import { registerEndpoints } from './registerEndpoints.js';
import { registerEventStream } from './events/registerEventStream.js';
import { prometheusRoute } from '../metrics/prometheusRoute.js';
import { consoleRoutes } from './consoleRoutes.js';

export interface ApiServerOptions {
  /** Browser origins allowed to call the API cross-origin; empty for none. */
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  version: string;
}

/**
 * The agent's HTTP server: the `/api/v1` endpoints, OpenAPI at `/api/docs`, security headers, a
 * CORS allowlist and a body-size limit. The web console is served at `/`
 * (consoleRoutes.ts); health routes are added by the caller.
 */
export async function createApiServer(services: ApiServices, options: ApiServerOptions): Promise<FastifyInstance> {
  const server = fastify({ logger: false, bodyLimit: options.bodyLimitBytes, trustProxy: false, return503OnClosing: true });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  installErrorHandler(server, services.log);
  server.addHook('preValidation', async (request) => refuseUnstorableText(request.body, request.query));

  await server.register(fastifyHelmet, { global: true });
  await server.register(fastifyCors, {
    origin: [...options.corsOrigins],
    credentials: false,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
  await server.register(fastifySwagger, {
    openapi: {
      info: { title: 'Switchyard agent API', version: options.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token from /api/v1/auth/login, or an API key (sy_…)' } } },
    },
    transform: jsonSchemaTransform,
  });
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await registerEventStream(server, services);
  registerEndpoints(server, services, apiHandlers);
  prometheusRoute(server, services);
  consoleRoutes(server);
  return server;
}
