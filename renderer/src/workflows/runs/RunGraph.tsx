/**
 * The run's DAG in React Flow: read-only (nothing drags, connects or deletes), culled to what is
 * in view (`onlyRenderVisibleElements`: a 500-node run draws only the nodes on screen), with
 * fixed-size memoised node cards whose objects change only when their state does, text hidden
 * when zoomed out (`ZoomDetail`), edges drawn once as a static layer (`RunEdges`), and no dotted
 * background (painting it over the whole pane on every frame was costly in software-rendered
 * Chromium).
 *
 * Clicking a node selects it (its detail opens beside the graph). For roles that may act, a
 * right-click, the context-menu key or Shift+F10 on a focused node opens its retry menu at the
 * pointer or at the node.
 */
import { Controls, ReactFlow, type NodeMouseHandler } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useRef, type KeyboardEvent } from 'react';
import { isMenuKey } from './menuKey.js';
import { RunEdges } from './RunEdges.js';
import { RunNodeCard } from './RunNodeCard.js';
import type { RunFlowNode } from './runGraph.js';
import { useRunViewStore } from './runViewStore.js';
import { ZoomDetail } from './ZoomDetail.js';

const nodeTypes = { runNode: RunNodeCard };
/** React Flow draws no edges: RunEdges draws them, once (see RunEdges.tsx). */
const noEdges: never[] = [];
const fitViewOptions = { minZoom: 0.3, maxZoom: 1 };

export function RunGraph({ canAct }: { canAct: boolean }) {
  const nodes = useRunViewStore((state) => state.nodes);
  const edgePaths = useRunViewStore((state) => state.edgePaths);
  const graph = useRef<HTMLDivElement>(null);

  const onNodeClick: NodeMouseHandler<RunFlowNode> = useCallback((_, node) => useRunViewStore.getState().select(node.id), []);
  const onNodeContextMenu: NodeMouseHandler<RunFlowNode> = useCallback(
    (event, node) => {
      if (!canAct) return;
      event.preventDefault();
      useRunViewStore.getState().openMenu({ node: node.id, x: event.clientX, y: event.clientY });
    },
    [canAct],
  );
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const card = (event.target as HTMLElement).closest<HTMLElement>('[data-node-id]');
      const node = card?.dataset.nodeId;
      if (!card || !node) return;
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        useRunViewStore.getState().select(node);
      } else if (canAct && isMenuKey(event)) {
        event.preventDefault();
        const box = card.getBoundingClientRect();
        useRunViewStore.getState().openMenu({ node, x: box.left + box.width / 2, y: box.bottom });
      }
    },
    [canAct],
  );

  return (
    <div ref={graph} className="run-graph" data-detail="full" onKeyDown={onKeyDown}>
      <ReactFlow<RunFlowNode>
        nodes={nodes}
        edges={noEdges}
        nodeTypes={nodeTypes}
        onlyRenderVisibleElements
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        onNodeClick={onNodeClick}
        onNodeContextMenu={onNodeContextMenu}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.05}
        maxZoom={2}
        aria-label="Run graph"
      >
        <Controls showInteractive={false} />
        <ZoomDetail graph={graph} />
        <RunEdges paths={edgePaths} />
      </ReactFlow>
    </div>
  );
}
