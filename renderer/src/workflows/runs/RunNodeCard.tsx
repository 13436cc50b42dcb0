/**
 * One node of the run graph: its label and kind, its state (colour and word), how long it ran or
 * has been running, how many times the run started it and, once its task was read, the task's
 * attempts; a map node adds its progress (finished of total items, with a bar). Memoised: React
 * Flow hands it a new `data` only when the node's shown data changed (see runGraph.ts).
 *
 * No React Flow `Handle` components (each subscribes to the flow's store): React Flow draws no
 * edges here (RunEdges.tsx does).
 *
 * The card is the focusable element (`data-node-id`, `data-state`): Enter opens its detail, the
 * context-menu key or Shift+F10 its actions (handled by RunGraph for every card at once).
 */
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { displayLabels } from './nodeDisplay.js';
import { formatElapsed } from './runDurations.js';
import type { RunFlowNode } from './runGraph.js';
import { useNow } from './useNow.js';

function RunNodeCardBody({ id, data }: NodeProps<RunFlowNode>) {
  const now = useNow(data.display === 'running' ? 1_000 : null);
  const items = data.items;
  const percent = items && items.total > 0 ? Math.round((items.finished / items.total) * 100) : 0;
  return (
    <div
      className="run-node"
      data-node-id={id}
      data-state={data.display}
      data-kind={data.kind}
      data-selected={data.selected}
      tabIndex={0}
      role="button"
      aria-pressed={data.selected}
      aria-label={`${data.label}: ${displayLabels[data.display]}`}
    >
      <div className="run-node-title">
        <span className="run-node-label" title={data.label}>
          {data.label}
        </span>
        <span className="run-node-kind">{data.kind}</span>
      </div>
      <div className="run-node-facts">
        <span className="run-node-state">{displayLabels[data.display]}</span>
        <span className="run-node-duration">{formatElapsed(data.startedAt, data.finishedAt, now)}</span>
      </div>
      <div className="run-node-facts">
        <span className="run-node-starts" title="Times the run started this node">
          {data.starts === 1 ? '1 start' : `${data.starts} starts`}
        </span>
        {data.attempts !== null ? (
          <span className="run-node-attempts" title="Attempts of the node's task">
            {data.attempts === 1 ? '1 attempt' : `${data.attempts} attempts`}
          </span>
        ) : null}
      </div>
      {items ? (
        <div className="run-node-progress" data-finished={items.finished} data-total={items.total}>
          <span className="map-progress-track" role="progressbar" aria-label={`${data.label} items finished`} aria-valuemin={0} aria-valuemax={items.total} aria-valuenow={items.finished}>
            <span className="map-progress-bar" style={{ width: `${percent}%` }} />
          </span>
          <span className="map-progress-count">
            {items.finished}/{items.total}
          </span>
        </div>
      ) : null}
    </div>
  );
}

export const RunNodeCard = memo(RunNodeCardBody);
