/**
 * The palette: one entry per registered task type (grouped by queue, from `workers.list`), a
 * free "Task" entry whose queue and type are typed afterwards, and Branch, Map, Reduce and
 * Sub-workflow. Each entry is a button: drag it onto the canvas (HTML5 drag and drop) to place
 * the node there, or press it (click, Enter, Space) to add the node in the middle of the view.
 */
import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import type { WorkflowNodeKind } from '../../../../shared/workflows/workflowDefinition.js';
import { useBuilderCatalogStore } from './builderCatalogStore.js';
import { useBuilderStore } from './builderStore.js';
import { addNodes } from './definitionEdits.js';
import { newNode, type NodeTemplate } from './draftDefinition.js';
import { kindNames } from './nodeSummary.js';

/** The drag data type of a palette entry: a `NodeTemplate` as JSON. */
export const paletteDragType = 'application/x-switchyard-node';

const generalKinds: WorkflowNodeKind[] = ['task', 'branch', 'map', 'reduce', 'workflow'];

/** How far apart nodes added by pressing an entry land, so they do not hide each other. */
const stagger = 24;

export function NodePalette() {
  const { groups, error } = useBuilderCatalogStore();
  const { edit, select } = useBuilderStore();
  const flow = useReactFlow();

  const addAtCentre = (template: NodeTemplate) => {
    const canvas = document.querySelector('.workflow-canvas')?.getBoundingClientRect();
    const centre = canvas ? flow.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
    const definition = useBuilderStore.getState().history.present;
    const shift = (definition.nodes.length % 8) * stagger;
    const node = newNode(template, definition, { x: centre.x - 95 + shift, y: centre.y - 32 + shift });
    edit((current) => addNodes(current, [node]));
    select([node.id]);
  };

  const entry = (template: NodeTemplate, text: string, name: string) => (
    <li key={name}>
      <button
        type="button"
        className={`palette-entry kind-${template.kind}`}
        draggable
        aria-label={name}
        title="Drag onto the canvas, or press to add in the middle"
        onDragStart={(event: DragEvent) => {
          event.dataTransfer.setData(paletteDragType, JSON.stringify(template));
          event.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={() => addAtCentre(template)}
      >
        {text}
      </button>
    </li>
  );

  return (
    <aside className="node-palette" aria-label="Palette">
      <h2>Nodes</h2>
      <ul>{generalKinds.map((kind) => entry({ kind }, kindNames[kind], `Add ${kindNames[kind]} node`))}</ul>
      <h2>Task types</h2>
      {groups.length === 0 ? <p className="hint">No worker has said which task types it runs; use Task and type the queue and type.</p> : null}
      {groups.map((group) => (
        <section key={group.queue} aria-label={`Queue ${group.queue}`}>
          <h3>{group.queue}</h3>
          <ul>{group.types.map((type) => entry({ kind: 'task', queue: group.queue, type }, type, `Add task ${type} on ${group.queue}`))}</ul>
        </section>
      ))}
      {error ? <p className="error">{error}</p> : null}
    </aside>
  );
}
