/**
 * The run graph's edges: one SVG inside React Flow's viewport (so it pans and zooms with the
 * nodes, drawn beneath them), one `path` per edge with `data-edge` ("from->to") and
 * `data-decision` (taken, skipped, undecided) for its style, and a conditional edge's condition
 * as a label. It renders only when the paths change, never per frame: React Flow's own edges
 * each recompute their ends on every viewport change, which on a 500-node, 960-edge run cost
 * most of every pan and zoom frame.
 */
import { ViewportPortal } from '@xyflow/react';
import { memo } from 'react';
import type { EdgePath } from './edgePaths.js';

function RunEdgesLayer({ paths }: { paths: readonly EdgePath[] }) {
  return (
    <ViewportPortal>
      <svg className="run-edges" aria-hidden="true" width="1" height="1">
        {paths.map((edge) => (
          <path key={edge.id} data-edge={edge.id} data-decision={edge.decision} d={edge.d} />
        ))}
        {paths.map((edge) =>
          edge.label ? (
            <text key={`${edge.id}:label`} className="run-edge-label" x={edge.label.x} y={edge.label.y}>
              {edge.label.text}
            </text>
          ) : null,
        )}
      </svg>
    </ViewportPortal>
  );
}

export const RunEdges = memo(RunEdgesLayer);
