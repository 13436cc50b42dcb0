import { endpoint } from './endpoint.js';
import { metricsOverview, queueMetrics, queueMetricsQuery } from './schemas/metrics.js';
import { queueParams } from './schemas/queues.js';

/** The rolling metrics history of each queue (docs/metrics.md). Part of the one table in endpoints.ts. */
export const metricEndpoints = {
  'metrics.queue': endpoint({
    method: 'GET',
    path: '/queues/:name/metrics',
    summary: "A queue's metrics history: a point per second (last hour) or per minute (last week)",
    access: 'read',
    params: queueParams,
    query: queueMetricsQuery,
    response: queueMetrics,
  }),
  'metrics.overview': endpoint({ method: 'GET', path: '/metrics/overview', summary: 'Every queue with its latest metrics point', access: 'read', response: metricsOverview }),
};
