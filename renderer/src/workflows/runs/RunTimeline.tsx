/**
 * The run's timeline (Gantt): a row per started node, in start order, its bar from start to
 * finish in the node's state colour; running bars grow to now (re-read each second while the run
 * runs). Plain CSS: each bar's left and width are percentages of the chart's span. Clicking a row
 * selects its node.
 */
import { useMemo } from 'react';
import { displayLabels } from './nodeDisplay.js';
import { ganttRows } from './ganttRows.js';
import { formatDuration } from './runDurations.js';
import { useRunViewStore } from './runViewStore.js';
import { useNow } from './useNow.js';

const percent = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

export function RunTimeline() {
  const statuses = useRunViewStore((state) => state.statuses);
  const runState = useRunViewStore((state) => state.runState);
  const selected = useRunViewStore((state) => state.selected);
  const now = useNow(runState === 'running' ? 1_000 : null);
  const chart = useMemo(() => ganttRows(Object.values(statuses), runState, now), [statuses, runState, now]);

  return (
    <section className="run-timeline" aria-label="Timeline">
      <h2>Timeline</h2>
      {chart.rows.length === 0 ? (
        <p className="muted">No node has started yet.</p>
      ) : (
        <>
          <p className="muted">
            {chart.rows.length} node runs over {formatDuration(chart.end - chart.start)}, from {new Date(chart.start).toLocaleTimeString()}
          </p>
          <ol className="gantt" aria-label="Node runs">
            {chart.rows.map((row) => (
              <li key={row.id} className="gantt-row" data-gantt-node={row.id} data-state={row.display} data-running={row.running} aria-current={row.id === selected ? 'true' : undefined}>
                <button type="button" className="gantt-label link" onClick={() => useRunViewStore.getState().select(row.id)}>
                  {row.id}
                </button>
                <span className="gantt-track">
                  <span
                    className="gantt-bar"
                    style={{ left: percent(row.left), width: percent(row.width) }}
                    title={`${row.id}: ${displayLabels[row.display]}, ${formatDuration(row.end - row.start)}${row.running ? ' so far' : ''}`}
                  />
                </span>
                <span className="gantt-duration">{formatDuration(row.end - row.start)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
