import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { apiErrorCodes, type ApiErrorBody, type ApiIssue } from '../../shared/api/errors.js';
import { taskErrorCodes, type TaskErrorCode } from '../../shared/taskErrors.js';
import { EngineError } from '../engine/EngineError.js';
import { AuthenticationError } from '../security/AuthenticationError.js';
import { SecurityInputError } from '../security/SecurityInputError.js';
import { ApiProblem } from './ApiProblem.js';

/**
 * One place that turns every failure into the API's error body: a 4xx names what was wrong
 * (with the field path), a 5xx says only that something failed and which log line has the detail.
 * Stacks never reach a client.
 */
export function installErrorHandler(server: FastifyInstance, log: Logger): void {
  server.setNotFoundHandler((request, reply) => send(reply, 404, { code: apiErrorCodes.notFound, message: `no route ${request.method} ${request.url.split('?')[0]}` }));
  server.setErrorHandler((error: FastifyError, request, reply) => {
    const known = describe(error);
    if (known) return send(reply, known.status, known.body);
    log.error({ err: error, requestId: request.id, method: request.method, url: request.url }, 'request failed');
    return send(reply, 500, { code: apiErrorCodes.internal, message: 'the agent failed to answer this request; its log has the detail', reference: request.id });
  });
}

function send(reply: FastifyReply, status: number, error: ApiErrorBody['error']): FastifyReply {
  if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="switchyard"');
  return reply.code(status).type('application/json').send({ error } satisfies ApiErrorBody);
}

const engineStatuses: Record<TaskErrorCode, [number, ApiErrorBody['error']['code']]> = {
  [taskErrorCodes.invalidInput]: [400, apiErrorCodes.invalidRequest],
  [taskErrorCodes.unknownQueue]: [404, apiErrorCodes.notFound],
  [taskErrorCodes.notFound]: [404, apiErrorCodes.notFound],
  [taskErrorCodes.queueExists]: [409, apiErrorCodes.conflict],
  [taskErrorCodes.invalidState]: [409, apiErrorCodes.conflict],
  [taskErrorCodes.payloadTooLarge]: [413, apiErrorCodes.payloadTooLarge],
};

function describe(error: FastifyError): { status: number; body: ApiErrorBody['error'] } | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = partName(error.validationContext);
    const issues: ApiIssue[] = error.validation.map((issue) => ({ field: fieldPath(part, issue.instancePath), message: issue.message ?? 'is invalid' }));
    const first = issues[0]!;
    return { status: 400, body: { code: apiErrorCodes.invalidRequest, message: `${first.field}: ${first.message}`, field: first.field, issues } };
  }
  if (isResponseSerializationError(error as never)) return undefined;
  if (error instanceof ApiProblem) {
    return { status: error.status, body: { code: error.code, message: error.message, field: error.field, retryAfterSeconds: error.retryAfterSeconds, issues: error.issues } };
  }
  if (error instanceof EngineError) {
    const [status, code] = engineStatuses[error.code];
    const field = error.field && `body.${error.field}`;
    return { status, body: { code, message: error.message, field } };
  }
  if (error instanceof SecurityInputError) {
    return { status: 400, body: { code: apiErrorCodes.invalidRequest, message: error.message, field: `body.${error.field}` } };
  }
  if (error instanceof AuthenticationError) {
    return { status: 401, body: { code: apiErrorCodes.unauthenticated, message: error.message } };
  }
  // Fastify's own refusals: malformed JSON, an empty JSON body, a body over the limit, an unknown media type.
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { code: apiErrorCodes.payloadTooLarge, message: 'the request body is over the agent\'s limit', field: 'body' } };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, body: { code: apiErrorCodes.invalidRequest, message: error.message, field: error.code?.startsWith('FST_ERR_CTP') ? 'body' : undefined } };
  }
  return undefined;
}

function partName(context: string | undefined): string {
  return context === 'querystring' ? 'query' : (context ?? 'body');
}

/** `/tasks/3/priority` in `body` → `body.tasks[3].priority`. */
function fieldPath(part: string, instancePath: string): string {
  return instancePath
    .split('/')
    .filter((segment) => segment !== '')
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), part);
}
