/**
 * The run engine's decisions, as a pure function of the definition and a snapshot: which edges
 * are now decided, which nodes start, which are skipped, and whether the run has finished.
 *
 * Rules (docs/workflows.md):
 * - when a node succeeds, each outgoing edge is taken if its `when` condition is true (or absent)
 *   and skipped otherwise; when a node is skipped, its outgoing edges are skipped;
 * - a waiting node with join `all` starts once every incoming edge is decided and one was taken;
 *   with join `any`, once one incoming edge was taken; it is skipped once every incoming edge is
 *   decided and none was taken; entry nodes (no incoming edges) start at once;
 * - a paused run starts nothing (decisions are still recorded); a failed or cancelled run starts
 *   nothing either;
 * - the run succeeds when every node succeeded or was skipped; it fails as soon as a node failed
 *   (running nodes finish, nothing new starts) or an edge condition cannot be evaluated.
 * The output of a succeeded run is the outputs of its sink nodes (no outgoing edges) that succeeded.
 */
import { ExpressionError } from '../../shared/workflows/expression/ExpressionError.js';
import { evaluateExpression, isTruthy } from '../../shared/workflows/expression/evaluateExpression.js';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import { parseExpression } from '../../shared/workflows/expression/parseExpression.js';
import type { WorkflowDefinition } from '../../shared/workflows/workflowDefinition.js';
import { WorkflowGraph } from '../../shared/workflows/workflowGraph.js';
import { edgeKey, type RunSnapshot, type RunState } from './RunSnapshot.js';

export interface RunPlan {
  /** Newly decided edges: true taken, false skipped. */
  decideEdges: Map<string, boolean>;
  /** Nodes to start now, in topological order. */
  start: string[];
  /** Nodes to mark skipped. */
  skip: string[];
  /** The run's state after these decisions. */
  state: RunState;
  /** Set when the run just succeeded. */
  output?: JsonValue;
  /** Why the run failed, when it just failed. */
  failure?: { nodeIds: string[]; message: string };
}

/**
 * Decides until nothing more follows: a skip can decide edges that skip or start further nodes.
 * `changed` names the nodes whose state changed since the last plan (all nodes when absent, as at
 * a run's start or after a retry): only they and what follows from them are looked at, so a
 * completion in a 10,000-node fan-out costs its own edges, not the whole graph.
 */
export function planRun(definition: WorkflowDefinition, snapshot: RunSnapshot, options: { graph?: WorkflowGraph; changed?: Iterable<string> } = {}): RunPlan {
  const graph = options.graph ?? new WorkflowGraph(definition);
  const nodes = new Map(snapshot.nodes);
  const edges = new Map(snapshot.edges);
  const plan: RunPlan = { decideEdges: new Map(), start: [], skip: [], state: snapshot.state };
  const whenOf = new Map(definition.edges.map((edge) => [edgeKey(edge.from, edge.to), edge.when]));
  const joinOf = new Map(definition.nodes.map((node) => [node.id, node.join]));
  const outputs: Record<string, JsonValue> = {};
  for (const [id, node] of nodes) if (node.state === 'succeeded') outputs[id] = { output: node.output ?? null };
  const stateOf = (id: string) => nodes.get(id)?.state ?? 'waiting';

  const work = [...(options.changed ?? graph.topologicalOrder())];
  const starting = new Set<string>();
  const decide = (from: string, to: string, taken: boolean) => {
    edges.set(edgeKey(from, to), taken);
    plan.decideEdges.set(edgeKey(from, to), taken);
    work.push(to);
  };
  const decideOutgoing = (id: string, skipped: boolean) => {
    for (const child of graph.children(id)) {
      if (edges.has(edgeKey(id, child))) continue;
      const when = whenOf.get(edgeKey(id, child));
      if (skipped || when === undefined) {
        decide(id, child, !skipped);
        continue;
      }
      try {
        decide(id, child, isTruthy(evaluateExpression(parseExpression(when), { input: snapshot.input, nodes: outputs })));
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        plan.failure ??= { nodeIds: [id, child], message: `the condition of edge ${id} → ${child} failed: ${error.message}` };
      }
    }
  };

  for (let at = 0; at < work.length; at += 1) {
    const id = work[at]!;
    const state = stateOf(id);
    if (state === 'succeeded' || state === 'skipped') {
      decideOutgoing(id, state === 'skipped');
      continue;
    }
    if (state !== 'waiting' || starting.has(id)) continue;
    const parents = graph.parents(id);
    const decisions = parents.map((parent) => edges.get(edgeKey(parent, id)));
    const anyTaken = decisions.includes(true);
    const allDecided = decisions.every((decision) => decision !== undefined);
    if (parents.length > 0 && allDecided && !anyTaken) {
      nodes.set(id, { state: 'skipped' });
      plan.skip.push(id);
      decideOutgoing(id, true);
    } else if (parents.length === 0 || (joinOf.get(id) === 'any' ? anyTaken : allDecided)) {
      starting.add(id);
      plan.start.push(id);
    }
  }

  const failed = graph.ids.filter((id) => stateOf(id) === 'failed');
  if (snapshot.state === 'cancelled' || snapshot.state === 'failed') {
    plan.start = [];
  } else if (failed.length > 0 || plan.failure) {
    plan.state = 'failed';
    plan.failure ??= { nodeIds: failed, message: failureMessage(failed, snapshot) };
    plan.start = [];
  } else if (snapshot.state === 'paused') {
    plan.start = [];
  } else if (plan.start.length === 0 && graph.ids.every((id) => stateOf(id) === 'succeeded' || stateOf(id) === 'skipped')) {
    plan.state = 'succeeded';
    plan.output = Object.fromEntries(graph.ids.filter((id) => graph.children(id).length === 0 && stateOf(id) === 'succeeded').map((id) => [id, nodes.get(id)?.output ?? null]));
  }
  return plan;
}

/** `node charge failed: card declined`; for several, `nodes charge, ship failed (ship: timed out)` with the first reason given. */
function failureMessage(failed: readonly string[], snapshot: RunSnapshot): string {
  const reasonOf = (id: string) => {
    const error = snapshot.nodes.get(id)?.error;
    return error && typeof error === 'object' && !Array.isArray(error) && typeof error.message === 'string' ? error.message : undefined;
  };
  if (failed.length === 1) {
    const reason = reasonOf(failed[0]!);
    return `node ${failed[0]} failed${reason ? `: ${reason}` : ''}`;
  }
  const explained = failed.find((id) => reasonOf(id) !== undefined);
  return `nodes ${failed.join(', ')} failed${explained ? ` (${explained}: ${reasonOf(explained)})` : ''}`;
}
