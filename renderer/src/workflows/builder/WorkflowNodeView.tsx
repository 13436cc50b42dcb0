/**
 * One node on the canvas: its kind, title and what it runs, an input port on the left and an
 * output port on the right, and — when the validator found problems with it — a red outline, a
 * badge with their count and the first message. In the diff view it carries its mark (added,
 * removed, changed with the settings that differ). `data-node-id` and `data-kind` name it for
 * tests and styles.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { BuilderFlowNode } from './flowElements.js';
import { kindNames, nodeDetail, nodeTitle } from './nodeSummary.js';

export function WorkflowNodeView({ data, selected, isConnectable }: NodeProps<BuilderFlowNode>) {
  const { node, problems, diff } = data;
  const classes = ['workflow-node', `kind-${node.kind}`];
  if (problems.length > 0) classes.push('has-problems');
  if (diff) classes.push(`diff-${diff.mark}`);
  if (selected) classes.push('selected');
  return (
    <div className={classes.join(' ')} data-node-id={node.id} data-kind={node.kind} data-diff={diff?.mark} title={problems.join('\n') || undefined}>
      <Handle type="target" position={Position.Left} isConnectable={isConnectable} aria-label={`Input of ${node.id}`} />
      <div className="workflow-node-head">
        <span className="workflow-node-kind">{kindNames[node.kind]}</span>
        {node.join === 'any' ? <span className="workflow-node-join">any</span> : null}
        {problems.length > 0 ? (
          <span className="problem-badge" aria-label={`${problems.length} problem${problems.length === 1 ? '' : 's'}`}>
            {problems.length}
          </span>
        ) : null}
        {diff && diff.mark !== 'same' ? <span className="diff-badge">{diff.mark}</span> : null}
      </div>
      <div className="workflow-node-title">{nodeTitle(node)}</div>
      <div className="workflow-node-detail">{nodeDetail(node)}</div>
      {problems.length > 0 ? <div className="workflow-node-problem">{problems[0]}</div> : null}
      {diff && diff.fields.length > 0 ? <div className="workflow-node-fields">changed: {diff.fields.join(', ')}</div> : null}
      <Handle type="source" position={Position.Right} isConnectable={isConnectable} aria-label={`Output of ${node.id}`} />
    </div>
  );
}

/** The node types every canvas of the builder registers (a constant, so React Flow does not warn about a new object each render). */
export const builderNodeTypes = { workflowNode: WorkflowNodeView };
