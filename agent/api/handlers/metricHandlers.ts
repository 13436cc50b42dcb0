import { apiErrorCodes } from '../../../shared/api/errors.js';
import { defaultMetricSpanMs, metricRetentionMs, type MetricPoint } from '../../../shared/api/schemas/metrics.js';
import type { QueuePoint } from '../../metrics/QueuePoint.js';
import { ApiProblem } from '../ApiProblem.js';
import type { EndpointHandlers } from '../EndpointHandler.js';

/** A stored point as the API answers it: without the queue, which the request named. */
function pointView({ queue: _queue, ...point }: QueuePoint): MetricPoint {
  return point;
}

export const metricHandlers: EndpointHandlers<'metrics.queue' | 'metrics.overview'> = {
  'metrics.queue': async ({ params, query }, services) => {
    if (!(await services.engine.getQueue(params.name))) throw new ApiProblem(404, apiErrorCodes.notFound, `no queue ${params.name}`, 'params.name');
    const resolution = query.resolution ?? 'second';
    const until = query.until ?? Date.now();
    const since = query.since ?? Math.max(0, until - defaultMetricSpanMs[resolution]);
    if (since > until) throw new ApiProblem(400, apiErrorCodes.invalidRequest, 'query.since: must not be after until', 'query.since');
    const points = await services.metrics.history.points(params.name, resolution, since, until);
    return { queue: params.name, resolution, points: points.map(pointView) };
  },

  'metrics.overview': async (_call, services) => {
    const names = (await services.engine.listQueues()).map((queue) => queue.name);
    const latest = await services.metrics.history.latestSeconds(names, Date.now() - metricRetentionMs.second);
    return { queues: names.map((name) => ({ name, latest: latest.has(name) ? pointView(latest.get(name)!) : null })) };
  },
};
