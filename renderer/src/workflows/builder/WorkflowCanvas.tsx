/**
 * The editing canvas: the draft drawn by React Flow, with the minimap, zoom controls and a dotted
 * background. Nodes dropped from the palette (HTML5 drag and drop) land where they are dropped;
 * dragging from a node's output port to another's input port draws an edge; dragging a node
 * moves it (one undo step per drag); shift-click adds a node to the selection and dragging on the
 * empty canvas draws a selection box; Delete or Backspace removes the selection. The view pans
 * with the middle or right button, or Space and drag. Read-only (a viewer): nothing moves,
 * connects or is deleted, dragging pans, and nodes and edges can still be selected to read
 * their settings.
 */
import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type EdgeChange, type NodeChange, type OnDelete } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useBuilderStore } from './builderStore.js';
import { addNodes, connectNodes, moveNodes, removeElements } from './definitionEdits.js';
import { newNode, type NodeTemplate } from './draftDefinition.js';
import { edgeEndsOf, toFlowEdges, toFlowNodes, type BuilderFlowEdge, type BuilderFlowNode } from './flowElements.js';
import { paletteDragType } from './NodePalette.js';
import { builderNodeTypes } from './WorkflowNodeView.js';

const multiSelectKeys = ['Shift', 'Meta', 'Control'];
const deleteKeys = ['Delete', 'Backspace'];
/** While editing, dragging on the empty canvas draws a selection box; the middle or right button (or Space and drag) pans. */
const panButtons = [1, 2];

export function WorkflowCanvas({ problems, readOnly }: { problems: ReadonlyMap<string, string[]>; readOnly: boolean }) {
  const { history, selectedNodes, selectedEdges, measured, focus, edit, select, setMeasured } = useBuilderStore();
  const definition = history.present;
  const flow = useReactFlow<BuilderFlowNode, BuilderFlowEdge>();
  /** Counts drags, so each drag is one undo step. */
  const drag = useRef(0);
  /** Fit the view to the drawing when the canvas opens with one; an empty canvas keeps zoom 1, so the first drop does not zoom in on it. */
  const [fitOnOpen] = useState(() => definition.nodes.length > 0);

  const nodes = useMemo(() => toFlowNodes(definition, { problems, selected: selectedNodes, measured }), [definition, problems, selectedNodes, measured]);
  const edges = useMemo(() => toFlowEdges(definition, { selected: selectedEdges }), [definition, selectedEdges]);

  useEffect(() => {
    if (!focus) return;
    const node = definition.nodes.find((candidate) => candidate.id === focus.id);
    if (node) void flow.fitView({ nodes: [{ id: node.id }], duration: 200, maxZoom: 1.2 });
    // Only a new focus request moves the view, not every edit.
  }, [focus]);

  const onNodesChange = useCallback(
    (changes: NodeChange<BuilderFlowNode>[]) => {
      const state = useBuilderStore.getState();
      const positions = new Map<string, { x: number; y: number }>();
      const sizes = new Map(state.measured);
      let sized = false;
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'position' && change.position && !readOnly) positions.set(change.id, change.position);
        if (change.type === 'dimensions' && change.dimensions) {
          sizes.set(change.id, change.dimensions);
          sized = true;
        }
        if (change.type === 'select') {
          selection ??= new Set(state.selectedNodes);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (positions.size > 0) state.edit((current) => moveNodes(current, positions), `drag:${drag.current}`);
      if (sized) setMeasured(sizes);
      if (selection) useBuilderStore.setState({ selectedNodes: selection });
    },
    [readOnly, setMeasured],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<BuilderFlowEdge>[]) => {
    let selection: Set<string> | null = null;
    for (const change of changes) {
      if (change.type !== 'select') continue;
      selection ??= new Set(useBuilderStore.getState().selectedEdges);
      if (change.selected) selection.add(change.id);
      else selection.delete(change.id);
    }
    if (selection) useBuilderStore.setState({ selectedEdges: selection });
  }, []);

  const onConnect = useCallback((connection: Connection) => edit((current) => connectNodes(current, { from: connection.source, to: connection.target })), [edit]);

  const onDelete: OnDelete<BuilderFlowNode, BuilderFlowEdge> = useCallback(
    ({ nodes: gone, edges: goneEdges }) => {
      edit((current) => removeElements(current, gone.map((node) => node.id), goneEdges.map((edge) => edgeEndsOf(edge.id))));
      select([]);
    },
    [edit, select],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(paletteDragType)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const text = event.dataTransfer.getData(paletteDragType);
      if (!text) return;
      event.preventDefault();
      const template = JSON.parse(text) as NodeTemplate;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const node = newNode(template, useBuilderStore.getState().history.present, position);
      edit((current) => addNodes(current, [node]));
      select([node.id]);
    },
    [edit, flow, select],
  );

  return (
    <div className="workflow-canvas" onDragOver={readOnly ? undefined : onDragOver} onDrop={readOnly ? undefined : onDrop}>
      <ReactFlow<BuilderFlowNode, BuilderFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={builderNodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={readOnly ? undefined : onConnect}
        onDelete={readOnly ? undefined : onDelete}
        onNodeDragStart={() => {
          drag.current += 1;
        }}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        deleteKeyCode={readOnly ? null : deleteKeys}
        multiSelectionKeyCode={multiSelectKeys}
        selectionKeyCode={null}
        selectionOnDrag={!readOnly}
        panOnDrag={readOnly ? true : panButtons}
        fitView={fitOnOpen}
        minZoom={0.1}
        aria-label="Workflow canvas"
      >
        <Background gap={16} />
        <MiniMap pannable zoomable ariaLabel="Minimap" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
