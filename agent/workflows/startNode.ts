/**
 * Starting one node of a run, inside the run's lock: a `task` or `reduce` node enqueues its task,
 * a `map` node evaluates its list and enqueues the first items, a `branch` succeeds at once, a
 * `workflow` node creates its sub-run. Every task gets the idempotency key
 * `wf:<run>:<node>:<start>[:<item>]` (shared/workflows/taskKeys.ts), so enqueuing again after a crash (the
 * transaction that recorded the task id never committed) finds the same task instead of making a
 * second one, and the engine announces the task when it finishes.
 */
import { createHash } from 'node:crypto';
import type { TaskInput } from '../../shared/task.js';
import { ExpressionError } from '../../shared/workflows/expression/ExpressionError.js';
import { evaluateExpression, type ExpressionScope } from '../../shared/workflows/expression/evaluateExpression.js';
import type { JsonValue } from '../../shared/workflows/expression/JsonValue.js';
import { typeName } from '../../shared/workflows/expression/JsonValue.js';
import { parseExpression } from '../../shared/workflows/expression/parseExpression.js';
import { renderTemplate } from '../../shared/workflows/inputTemplate.js';
import type { WorkflowNode } from '../../shared/workflows/workflowDefinition.js';
import type { Engine } from '../engine/Engine.js';
import { EngineError } from '../engine/EngineError.js';
import type { LockedRun, RunNodeRow } from './RunStore.js';
import { taskKey } from '../../shared/workflows/taskKeys.js';

/** Most items one map node may fan out to. */
export const maximumMapItems = 100_000;

/** How a start ended: under way, or already finished (a branch, an empty map, a bad input). */
export type StartResult = { kind: 'running' } | { kind: 'finished' };

/** A sub-run to create after the parent's transaction commits. */
export interface SubRunRequest {
  id: string;
  workflow: string;
  version: number | undefined;
  input: JsonValue;
}

export interface StartContext {
  locked: LockedRun;
  /** Enqueues inside the run's transaction where the queue's engine can (see RunEngine). */
  engine: Pick<Engine, 'enqueueBulk'>;
  scope: ExpressionScope;
  /** Called for a workflow node: creates (idempotently) the sub-run with this id. */
  startSubRun(request: SubRunRequest): Promise<void>;
}

type TaskNode = Extract<WorkflowNode, { kind: 'task' | 'map' | 'reduce' }>;

export async function startNode(context: StartContext, node: WorkflowNode, row: RunNodeRow): Promise<StartResult> {
  const { locked } = context;
  const start = row.starts + 1;
  const fail = async (message: string): Promise<StartResult> => {
    await locked.changeNodes([node.id], { state: 'failed', starts: start, error: { message }, started: true, finished: true });
    return { kind: 'finished' };
  };
  try {
    switch (node.kind) {
      case 'branch':
        await locked.changeNodes([node.id], { state: 'succeeded', starts: start, output: null, started: true, finished: true });
        return { kind: 'finished' };
      case 'task':
      case 'reduce': {
        const input = renderTemplate(node.input, context.scope);
        const [enqueued] = await context.engine.enqueueBulk(node.queue, [taskOf(node, input, taskKey(locked.run.id, node.id, start))]);
        await locked.changeNodes([node.id], { state: 'running', starts: start, input, taskQueue: node.queue, taskId: enqueued!.id, started: true });
        return { kind: 'running' };
      }
      case 'map':
        return await startMap(context, node, start, fail);
      case 'workflow': {
        const input = renderTemplate(node.input, context.scope);
        const id = subRunId(locked.run.id, node.id, start);
        await context.startSubRun({ id, workflow: node.workflow, version: node.version, input });
        await locked.changeNodes([node.id], { state: 'running', starts: start, input, childRun: id, started: true });
        return { kind: 'running' };
      }
    }
  } catch (error) {
    if (error instanceof ExpressionError || error instanceof EngineError) return fail(`node ${node.id} could not start: ${error.message}`);
    throw error;
  }
}

async function startMap(context: StartContext, node: Extract<WorkflowNode, { kind: 'map' }>, start: number, fail: (message: string) => Promise<StartResult>): Promise<StartResult> {
  const list = evaluateExpression(parseExpression(node.over), context.scope);
  if (!Array.isArray(list)) return fail(`map node ${node.id}: over must give a list, got ${typeName(list)}`);
  if (list.length > maximumMapItems) return fail(`map node ${node.id}: ${list.length} items, more than ${maximumMapItems}`);
  const { locked } = context;
  if (list.length === 0) {
    await locked.changeNodes([node.id], { state: 'succeeded', starts: start, input: list, output: [], itemsTotal: 0, itemsFinished: 0, started: true, finished: true });
    return { kind: 'finished' };
  }
  await locked.changeNodes([node.id], { state: 'running', starts: start, input: list, taskQueue: node.queue, itemsTotal: list.length, itemsFinished: 0, started: true });
  await locked.createItems(node.id, list.length);
  await enqueueItems(context, node, start, list, Array.from({ length: Math.min(node.concurrency, list.length) }, (_, index) => index));
  return { kind: 'running' };
}

/** Enqueues the given items of a running map node in one call and marks them running. */
export async function enqueueItems(context: Pick<StartContext, 'locked' | 'engine' | 'scope'>, node: Extract<WorkflowNode, { kind: 'map' }>, start: number, list: readonly JsonValue[], indexes: readonly number[]): Promise<void> {
  if (indexes.length === 0) return;
  const tasks = indexes.map((index) =>
    taskOf(node, renderTemplate(node.input, { ...context.scope, item: list[index]!, index }), taskKey(context.locked.run.id, node.id, start, index)),
  );
  const enqueued = await context.engine.enqueueBulk(node.queue, tasks);
  await context.locked.startItems(
    node.id,
    indexes.map((index, at) => ({ index, taskId: enqueued[at]!.id })),
  );
}

function taskOf(node: TaskNode, payload: JsonValue, key: string): TaskInput {
  return {
    type: node.type,
    payload,
    idempotencyKey: key,
    maxAttempts: node.retry?.maxAttempts,
    timeoutMs: node.timeoutMs ?? node.retry?.timeoutMs,
    backoff: node.retry?.backoff,
  };
}

/** The same sub-run id for the same start of the same node, so a repeated start finds the run it made. */
function subRunId(runId: string, nodeId: string, start: number): string {
  const hex = createHash('sha256').update(`${runId}/${nodeId}/${start}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
