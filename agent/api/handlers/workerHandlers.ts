import { apiErrorCodes } from '../../../shared/api/errors.js';
import type { WorkerCommand } from '../../worker/WorkerRegistry.js';
import { ApiProblem } from '../ApiProblem.js';
import type { ApiServices } from '../ApiServices.js';
import type { EndpointCall, EndpointHandlers } from '../EndpointHandler.js';

/** Sends an operator's command to one worker: 404 when it is not registered, 409 when no process answers for it. */
async function command(services: ApiServices, call: EndpointCall<'workers.drain' | 'workers.stop'>, command: WorkerCommand) {
  const { id } = call.params;
  const known = (await services.workers.list()).find((worker) => worker.id === id);
  if (!known) throw new ApiProblem(404, apiErrorCodes.notFound, `no worker ${id}`, 'params.id');
  if (!(await services.workers.send(id, command))) {
    throw new ApiProblem(409, apiErrorCodes.conflict, `worker ${id} did not answer: its process may be gone (the registry drops it after missed heartbeats)`);
  }
  call.audit.target = `worker:${id}`;
  call.audit.before = { host: known.host, pid: known.pid, queues: known.queues, slotsInUse: known.slotsInUse };
  return { id, command };
}

export const workerHandlers: EndpointHandlers<'workers.list' | 'workers.drain' | 'workers.stop'> = {
  'workers.drain': async (call, services) => command(services, call, 'drain'),
  'workers.stop': async (call, services) => command(services, call, 'stop'),
  'workers.list': async (_call, services) => {
    const [workers, queues] = await Promise.all([services.workers.list(), services.engine.listQueues()]);
    const now = Date.now();
    const consumed = new Set(workers.flatMap((worker) => worker.queues));
    return {
      workers: workers.map((worker) => ({ ...worker, heartbeatAgeMs: Math.max(0, now - worker.lastHeartbeatAt) })),
      queuesWithoutWorkers: queues.map((queue) => queue.name).filter((name) => !consumed.has(name)),
    };
  },
};
