/**
 * What retrying a run from a node resets, as a pure function. Three modes, chosen by the user:
 * - `node`: that node only; nodes downstream keep what they did, and its outgoing edges are
 *   decided again only towards nodes that have not run yet;
 * - `downstream`: that node and every node downstream of it, with every edge out of them;
 * - `failed`: the failed and cancelled nodes among that node and those downstream of it.
 * Reset nodes go back to `waiting` with no output; the run goes back to `running`, and the
 * engine plans it whole (`planRun` without `changed`), which starts what is now ready.
 */
import type { WorkflowDefinition } from '../../shared/workflows/workflowDefinition.js';
import { WorkflowGraph } from '../../shared/workflows/workflowGraph.js';
import { edgeKey, type RunSnapshot } from './RunSnapshot.js';

export const retryModes = ['node', 'downstream', 'failed'] as const;
export type RetryMode = (typeof retryModes)[number];

export interface RetryPlan {
  /** Nodes to put back to `waiting`, their outputs cleared. */
  reset: string[];
  /** Edge decisions to forget. */
  forgetEdges: string[];
}

export function planRetry(definition: WorkflowDefinition, snapshot: RunSnapshot, nodeId: string, mode: RetryMode, graph = new WorkflowGraph(definition)): RetryPlan {
  if (!graph.ids.includes(nodeId)) throw new RangeError(`no node ${nodeId} in workflow ${definition.name}`);
  const stateOf = (id: string) => snapshot.nodes.get(id)?.state ?? 'waiting';
  const downstream = [...graph.reachableFrom([nodeId])];
  const reset =
    mode === 'node' ? [nodeId] : mode === 'downstream' ? downstream : downstream.filter((id) => stateOf(id) === 'failed' || stateOf(id) === 'cancelled');
  const resetSet = new Set(reset);
  const forgetEdges = reset.flatMap((id) =>
    graph
      .children(id)
      .filter((child) => mode !== 'node' || stateOf(child) === 'waiting')
      .map((child) => edgeKey(id, child))
      .filter((key) => snapshot.edges.has(key)),
  );
  return { reset: graph.ids.filter((id) => resetSet.has(id)), forgetEdges };
}
