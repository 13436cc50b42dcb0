/**
 * The Overview's state: the chosen time range and queue, the queues that exist (`metrics.overview`)
 * and the chart rows built from each queue's history (`metrics.queue`, one call per queue shown,
 * side by side). A load that finishes after a newer one started (the range changed meanwhile) is
 * dropped, so a slow answer never overwrites a fresher one.
 */
import { create } from 'zustand';
import { ApiError } from '../../../shared/api/ApiError.js';
import { failureMessage } from '../controls/failureMessage.js';
import { apiClient } from '../state/sessionStore.js';
import { chartRows, type ChartRow } from './chartRows.js';
import { metricRanges, type MetricRangeName } from './metricRanges.js';

interface OverviewState {
  range: MetricRangeName;
  /** The queue charted, or '' for every queue together. */
  queue: string;
  /** Every queue the agent knows, by name. */
  queues: string[];
  /** The queues whose depth the rows carry (the depth chart draws one line each). */
  charted: string[];
  rows: ChartRow[];
  loaded: boolean;
  error: string | null;
  chooseRange(range: MetricRangeName): void;
  chooseQueue(queue: string): void;
  load(): Promise<void>;
}

let latestLoad = 0;

export const useOverviewStore = create<OverviewState>()((set, get) => ({
  range: '5m',
  queue: '',
  queues: [],
  charted: [],
  rows: [],
  loaded: false,
  error: null,
  chooseRange(range) {
    set({ range, rows: [], loaded: false });
    void get().load();
  },
  chooseQueue(queue) {
    set({ queue, rows: [], loaded: false });
    void get().load();
  },
  async load() {
    const load = ++latestLoad;
    const { range, queue } = get();
    const { spanMs, resolution, bucketMs } = metricRanges[range];
    try {
      const overview = await apiClient.call('metrics.overview', {});
      const queues = overview.queues.map((entry) => entry.name).sort();
      const charted = queue !== '' && queues.includes(queue) ? [queue] : queues;
      const since = Date.now() - spanMs;
      const series = await Promise.all(
        charted.map(async (name) => {
          try {
            const answer = await apiClient.call('metrics.queue', { params: { name }, query: { resolution, since } });
            return { queue: name, points: answer.points };
          } catch (error) {
            // Deleted between the two calls: chart the others; the next load no longer lists it.
            if (error instanceof ApiError && error.status === 404) return { queue: name, points: [] };
            throw error;
          }
        }),
      );
      if (load !== latestLoad) return;
      set({ queues, charted, rows: chartRows(series, bucketMs), loaded: true, error: null });
    } catch (error) {
      if (load === latestLoad) set({ error: failureMessage(error), loaded: true });
    }
  },
}));
