/**
 * The Overview, the view shown after sign-in: throughput, failures, queue wait and run time
 * percentiles and depth per queue over the chosen range, from the agent's metrics history,
 * refreshed while shown (the pace depends on the range, see `metricRanges`). Nothing here
 * changes anything, so every role sees the same view.
 */
import { ErrorMessage } from '../components/ErrorMessage.js';
import { usePolling } from '../controls/usePolling.js';
import { countTotals } from './chartRows.js';
import { chartColours, MetricChart, type ChartSeries } from './MetricChart.js';
import { bucketLabel, metricRangeNames, metricRanges, type MetricRangeName } from './metricRanges.js';
import { useOverviewStore } from './overviewStore.js';
import { OverviewTotals } from './OverviewTotals.js';

const throughput: ChartSeries[] = [
  { name: 'completed', colour: chartColours[2]!, value: (row) => row.succeeded },
  { name: 'enqueued', colour: chartColours[0]!, value: (row) => row.enqueued },
];
const failures: ChartSeries[] = [
  { name: 'failed attempts', colour: chartColours[3]!, value: (row) => row.failed },
  { name: 'dead', colour: chartColours[1]!, value: (row) => row.dead },
];
const waitPercentiles: ChartSeries[] = [
  { name: 'p50', colour: chartColours[0]!, value: (row) => row.waitP50 },
  { name: 'p95', colour: chartColours[3]!, value: (row) => row.waitP95 },
  { name: 'p99', colour: chartColours[1]!, value: (row) => row.waitP99 },
];
const runPercentiles: ChartSeries[] = [
  { name: 'p50', colour: chartColours[0]!, value: (row) => row.runP50 },
  { name: 'p95', colour: chartColours[3]!, value: (row) => row.runP95 },
  { name: 'p99', colour: chartColours[1]!, value: (row) => row.runP99 },
];

export function OverviewView() {
  const { range, queue, queues, charted, rows, loaded, error, chooseRange, chooseQueue, load } = useOverviewStore();
  const { spanMs, bucketMs, refreshMs } = metricRanges[range];
  usePolling(load, refreshMs);

  const now = rows.length > 0 ? Math.max(Date.now(), rows.at(-1)!.at) : Date.now();
  const domain: [number, number] = [now - spanMs, now];
  const per = bucketLabel(bucketMs);
  const depth: ChartSeries[] = charted.map((name, index) => ({
    name,
    colour: chartColours[index % chartColours.length]!,
    value: (row) => row.depth[name] ?? null,
  }));

  return (
    <main className="overview">
      <h1>Overview</h1>
      <div className="overview-controls">
        <label>
          Range
          <select name="range" value={range} onChange={(event) => chooseRange(event.target.value as MetricRangeName)}>
            {metricRangeNames.map((name) => (
              <option key={name} value={name}>
                {metricRanges[name].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Queue
          <select name="queue" value={queue} onChange={(event) => chooseQueue(event.target.value)}>
            <option value="">all queues</option>
            {queues.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage message={error} />
      {loaded && queues.length === 0 ? <p className="empty">No queues yet: create one in Queues, and its charts appear here.</p> : null}
      {loaded && queues.length > 0 && rows.length === 0 ? (
        <p className="empty">No metrics in this range yet. The leading agent records a point per queue every second; minute points appear once each minute ends.</p>
      ) : null}
      {rows.length > 0 ? (
        <>
          <OverviewTotals totals={countTotals(rows)} rangeLabel={metricRanges[range].label} />
          <div className="chart-grid">
            <MetricChart title={`Throughput (${per})`} rows={rows} series={throughput} domain={domain} />
            <MetricChart title={`Failures (${per})`} rows={rows} series={failures} domain={domain} />
            <MetricChart title="Queue wait (ms, worst period)" rows={rows} series={waitPercentiles} domain={domain} unit=" ms" />
            <MetricChart title="Run time (ms, worst period)" rows={rows} series={runPercentiles} domain={domain} unit=" ms" />
            <MetricChart title="Depth per queue" rows={rows} series={depth} domain={domain} />
          </div>
        </>
      ) : null}
    </main>
  );
}
