import type { EndpointHandlers } from '../EndpointHandler.js';

export const workerHandlers: EndpointHandlers<'workers.list'> = {
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
