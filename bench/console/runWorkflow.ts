/**
 * The workflow run the console benchmark opens in the run view: a layered DAG of `nodeCount`
 * nodes (`width` a layer, each node after two nodes of the layer before, so ~2 edges a node), the
 * first node a map over the run's input list, saved without positions (so the view lays it out)
 * and started once. The bench agent runs no worker, so the entry nodes stay running and the rest
 * waiting: what is measured is the view, not the engine.
 */
import type { ApiClient } from '../../shared/api/client.js';
import type { WorkflowDefinitionInput } from '../../shared/workflows/workflowDefinition.js';

export const benchWorkflowQueue = 'console-bench-workflow';
export const benchWorkflowName = 'console-bench-dag';

export function layeredWorkflow(nodeCount: number, width = 20): WorkflowDefinitionInput {
  const id = (index: number) => `step_${Math.floor(index / width)}_${index % width}`;
  const nodes: WorkflowDefinitionInput['nodes'] = Array.from({ length: nodeCount }, (_, index) =>
    index === 0
      ? { id: id(index), kind: 'map', queue: benchWorkflowQueue, type: 'bench.item', over: 'input.items', input: { item: '{{ item }}' }, concurrency: 10 }
      : { id: id(index), kind: 'task', queue: benchWorkflowQueue, type: 'bench.step', input: { step: index } },
  );
  const edges: NonNullable<WorkflowDefinitionInput['edges']> = [];
  for (let index = width; index < nodeCount; index++) {
    const layerStart = (Math.floor(index / width) - 1) * width;
    const column = index % width;
    edges.push({ from: id(layerStart + column), to: id(index) });
    const other = layerStart + ((column + 1) % width);
    if (other !== layerStart + column) edges.push({ from: id(other), to: id(index) });
  }
  return { name: benchWorkflowName, description: `${nodeCount}-node layered DAG for the console benchmark`, nodes, edges };
}

export interface BenchRun {
  runId: string;
  nodes: number;
  edges: number;
}

/** Saves the workflow and starts one run with 100 map items; answers the run's id. */
export async function startBenchRun(api: ApiClient, nodeCount: number): Promise<BenchRun> {
  await api.call('queues.create', { body: { name: benchWorkflowQueue } });
  const definition = layeredWorkflow(nodeCount);
  await api.call('workflows.save', { body: { definition, message: 'console bench' } });
  const run = await api.call('runs.start', { params: { name: benchWorkflowName }, body: { input: { items: Array.from({ length: 100 }, (_, index) => index) } } });
  return { runId: run.id, nodes: definition.nodes.length, edges: definition.edges?.length ?? 0 };
}
