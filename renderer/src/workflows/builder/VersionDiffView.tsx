/**
 * Two versions of a workflow drawn as one graph: the newer version's nodes and edges, plus what
 * the older one had and the newer lost (drawn where the older version had them), each coloured
 * by the legend — added, removed, changed (with the settings that differ), unchanged — and the
 * same changes listed in words. Nothing here can be edited.
 */
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import type { DiffMark } from './flowElements.js';
import { toFlowEdges, toFlowNodes, type BuilderFlowEdge, type BuilderFlowNode } from './flowElements.js';
import { builderNodeTypes } from './WorkflowNodeView.js';
import type { VersionDiff } from './workflowVersionsStore.js';

const legend: { mark: DiffMark; text: string }[] = [
  { mark: 'added', text: 'added' },
  { mark: 'removed', text: 'removed (drawn from the older version)' },
  { mark: 'changed', text: 'changed' },
  { mark: 'same', text: 'unchanged' },
];

export function VersionDiffView({ diff, onClose }: { diff: VersionDiff; onClose(): void }) {
  const { graph } = diff;
  const nodes = useMemo(() => toFlowNodes(graph.definition, { diff: graph.nodeMarks }), [graph]);
  const edges = useMemo(() => toFlowEdges(graph.definition, { diff: graph.edgeMarks }), [graph]);
  const { nodes: changes, edges: edgeChanges } = graph.diff;
  const nothing = changes.added.length + changes.removed.length + changes.changed.length + edgeChanges.added.length + edgeChanges.removed.length + edgeChanges.changed.length === 0;

  return (
    <section className="version-diff" aria-label="Version diff">
      <header>
        <h2>
          Changes from v{diff.from} to v{diff.to}
        </h2>
        <ul className="diff-legend" aria-label="Legend">
          {legend.map((entry) => (
            <li key={entry.mark}>
              <span className={`swatch diff-${entry.mark}`} /> {entry.text}
            </li>
          ))}
        </ul>
        <button type="button" onClick={onClose}>
          Close diff
        </button>
      </header>
      <ul className="diff-summary" aria-label="Changes">
        {nothing ? <li>No changes to nodes or edges{graph.diff.description ? ' (the description changed)' : ''}.</li> : null}
        {changes.added.map((id) => (
          <li key={`a:${id}`}>added node {id}</li>
        ))}
        {changes.removed.map((id) => (
          <li key={`r:${id}`}>removed node {id}</li>
        ))}
        {changes.changed.map((change) => (
          <li key={`c:${change.id}`}>
            changed node {change.id}: {change.fields.join(', ')}
          </li>
        ))}
        {edgeChanges.added.map((edge) => (
          <li key={`ea:${edge.from}:${edge.to}`}>
            added edge {edge.from} → {edge.to}
          </li>
        ))}
        {edgeChanges.removed.map((edge) => (
          <li key={`er:${edge.from}:${edge.to}`}>
            removed edge {edge.from} → {edge.to}
          </li>
        ))}
        {edgeChanges.changed.map((edge) => (
          <li key={`ec:${edge.from}:${edge.to}`}>
            changed condition {edge.from} → {edge.to}
          </li>
        ))}
      </ul>
      <div className="workflow-canvas diff-canvas">
        <ReactFlowProvider>
          <ReactFlow<BuilderFlowNode, BuilderFlowEdge> nodes={nodes} edges={edges} nodeTypes={builderNodeTypes} nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} deleteKeyCode={null} fitView minZoom={0.1} aria-label="Diff canvas">
            <Background gap={16} />
            <MiniMap ariaLabel="Diff minimap" />
            <Controls showInteractive={false} />
          </ReactFlow>
        </ReactFlowProvider>
      </div>
    </section>
  );
}
