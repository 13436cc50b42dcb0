import { apiErrorCodes } from '../../../shared/api/errors.js';
import type { QueueSummary } from '../../../shared/api/schemas/queues.js';
import { queueDefinition, type QueueDefinition } from '../../../shared/queue.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import type { EndpointHandlers } from '../EndpointHandler.js';

async function summary(services: ApiServices, definition: QueueDefinition): Promise<QueueSummary> {
  const [paused, counts] = await Promise.all([services.engine.isPaused(definition.name), services.engine.counts(definition.name)]);
  return { definition, paused, counts };
}

async function existing(services: ApiServices, name: string): Promise<QueueDefinition> {
  const definition = await services.engine.getQueue(name);
  if (!definition) throw new ApiProblem(404, apiErrorCodes.notFound, `no queue ${name}`, 'params.name');
  return definition;
}

export const queueHandlers: EndpointHandlers<'queues.list' | 'queues.get' | 'queues.create' | 'queues.update' | 'queues.pause' | 'queues.resume' | 'queues.delete'> = {
  'queues.list': async (_call, services) => ({ queues: await Promise.all((await services.engine.listQueues()).map((definition) => summary(services, definition))) }),

  'queues.get': async ({ params }, services) => summary(services, await existing(services, params.name)),

  'queues.create': async (call, services) => {
    const { body } = call;
    if (await services.engine.getQueue(body.name)) throw new ApiProblem(409, apiErrorCodes.conflict, `queue ${body.name} already exists`, 'body.name');
    // A queue that does not name its engine gets the agent's default (`redis` when it has Redis, else `postgres`).
    const definition = queueDefinition({ ...body, engine: body.engine ?? services.engine.kind });
    await services.queues.define(definition);
    call.audit.target = `queue:${definition.name}`;
    call.audit.after = definition;
    return summary(services, definition);
  },

  'queues.update': async (call, services) => {
    const before = await existing(services, call.params.name);
    const { retention, retry, ...settings } = call.body;
    const after: QueueDefinition = {
      ...before,
      ...settings,
      retention: { ...before.retention, ...retention },
      retry: { ...before.retry, ...retry, backoff: { ...before.retry.backoff, ...retry?.backoff } },
    };
    await services.queues.define(after);
    call.audit.target = `queue:${after.name}`;
    call.audit.before = before;
    call.audit.after = after;
    return summary(services, after);
  },

  'queues.pause': async (call, services) => {
    const definition = await existing(services, call.params.name);
    await services.engine.pause(definition.name);
    call.audit.target = `queue:${definition.name}`;
    return summary(services, definition);
  },

  'queues.resume': async (call, services) => {
    const definition = await existing(services, call.params.name);
    await services.engine.resume(definition.name);
    call.audit.target = `queue:${definition.name}`;
    return summary(services, definition);
  },

  'queues.delete': async (call, services) => {
    const definition = await existing(services, call.params.name);
    const counts = await services.engine.counts(definition.name);
    if (counts.active > 0 && call.query.force !== 'true') {
      throw new ApiProblem(409, apiErrorCodes.conflict, `queue ${definition.name} has ${counts.active} active tasks; wait for them, pause the queue, or delete with force=true`, 'query.force');
    }
    await services.queues.remove(definition.name);
    call.audit.target = `queue:${definition.name}`;
    call.audit.before = { definition, counts };
    return undefined;
  },
};
