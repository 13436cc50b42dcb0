import type pg from 'pg';
import type { Logger } from 'pino';
import type { Engine } from '../engine/Engine.js';
import type { Archiver } from '../records/Archiver.js';
import type { AgentMetrics } from './AgentMetrics.js';
import { MetricsRecorder } from './MetricsRecorder.js';
import { MetricStore } from './MetricStore.js';
import { PrometheusMetrics } from './PrometheusMetrics.js';

export interface StartMetricsOptions {
  pool: pg.Pool;
  engine: Engine;
  /** Its archived batches feed the history's percentiles and the Prometheus histograms. */
  archiver: Pick<Archiver, 'addArchivedListener'>;
  isLeader: () => boolean;
  log: Pick<Logger, 'debug' | 'error'>;
}

/**
 * Wires the agent's metrics (docs/metrics.md): the history store, the leader's recorder and the
 * Prometheus registry, both fed by the archiver. Answers what the API serves and the teardown.
 */
export function startMetrics({ pool, engine, archiver, isLeader, log }: StartMetricsOptions): { metrics: AgentMetrics; close: () => Promise<void> } {
  const history = new MetricStore(pool);
  const recorder = new MetricsRecorder({ engine, store: history, isLeader, log });
  const prometheus = new PrometheusMetrics(engine, isLeader);
  const stopListening = archiver.addArchivedListener((_queue, tasks) => {
    recorder.observe(tasks);
    prometheus.observe(tasks);
  });
  recorder.start();
  return {
    metrics: { history, prometheus },
    close: async () => {
      stopListening();
      await recorder.close();
    },
  };
}
