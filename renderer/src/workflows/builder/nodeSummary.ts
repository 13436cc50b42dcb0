/**
 * The words a node shows on the canvas and in lists: its kind as people say it ("Sub-workflow"),
 * its label (the id when it has none), and one line about what it runs.
 */
import type { WorkflowNodeKind } from '../../../../shared/workflows/workflowDefinition.js';
import type { DraftNode } from './draftDefinition.js';

export const kindNames: Record<WorkflowNodeKind, string> = {
  task: 'Task',
  map: 'Map',
  reduce: 'Reduce',
  branch: 'Branch',
  workflow: 'Sub-workflow',
};

export function nodeTitle(node: DraftNode): string {
  return node.label?.trim() ? node.label : node.id;
}

/** `jobs · order.fetch`, `over nodes.fetch.output.lines`, `runs audit v2`; empty for a branch. */
export function nodeDetail(node: DraftNode): string {
  switch (node.kind) {
    case 'task':
    case 'reduce':
      return `${node.queue || '(no queue)'} · ${node.type || '(no type)'}`;
    case 'map':
      return `${node.queue || '(no queue)'} · ${node.type || '(no type)'} over ${node.over || '(nothing)'}`;
    case 'workflow':
      return `runs ${node.workflow || '(no workflow)'}${node.version === undefined ? '' : ` v${node.version}`}`;
    case 'branch':
      return 'routes by its edges\u2019 conditions';
  }
}
