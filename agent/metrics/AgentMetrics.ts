import type { MetricStore } from './MetricStore.js';
import type { PrometheusMetrics } from './PrometheusMetrics.js';

/** What the API reads metrics from: the history in Postgres and the Prometheus registry. */
export interface AgentMetrics {
  history: MetricStore;
  prometheus: PrometheusMetrics;
}
