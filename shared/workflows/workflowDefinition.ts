/**
 * A workflow definition: the graph a workflow author draws, saved as an immutable version.
 *
 * Nodes:
 * - `task`: enqueues one task (`queue`, `type`, `input` template) and finishes with its result;
 * - `map`: evaluates `over` to a list and enqueues one task per item (at most `concurrency` at a
 *   time), with `item` and `index` in its input template; its output is the list of results;
 * - `reduce`: one task that runs after a `map` node (a direct parent) has finished every item;
 *   its template reads the list as `nodes.<map>.output`;
 * - `branch`: runs no task; its outgoing edges' conditions route the run;
 * - `workflow`: starts another workflow (`workflow`, optional `version`, `input`) as a sub-run
 *   and finishes with its output.
 * A node starts when its join is satisfied: `all` (default) when every incoming edge has been
 * taken or skipped with at least one taken, `any` when the first incoming edge is taken. An edge
 * is taken when its source succeeded and its `when` condition (an expression over `input` and
 * `nodes`) is true; otherwise it is skipped, and a node whose incoming edges are all skipped is
 * skipped too. `validateWorkflow` checks everything a schema cannot.
 */
import { z } from 'zod';
import { retryPolicyChange } from '../api/schemas/queues.js';
import { queueNamePattern } from '../queue.js';
import { taskLimits } from '../task.js';
import type { JsonValue } from './expression/JsonValue.js';

/** Node ids are names expressions can use after `nodes.`: a letter or `_`, then letters, digits and `_`. */
export const nodeIdPattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const workflowNamePattern = /^[A-Za-z0-9._-]{1,64}$/;
export const workflowLimits = { maxNodes: 2_000, maxEdges: 10_000, maxExpressionLength: 2_000, maxMapConcurrency: 1_000 } as const;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]));
const expression = z.string().trim().min(1, 'expression must not be empty').max(workflowLimits.maxExpressionLength);
const nodeId = z.string().regex(nodeIdPattern, 'node id must start with a letter or _ and hold only letters, digits and _ (at most 64)');

const nodeBase = {
  id: nodeId,
  /** What the builder shows; defaults to the id. */
  label: z.string().max(200).optional(),
  join: z.enum(['all', 'any']).default('all'),
  /** Where the builder drew the node; the engine ignores it. */
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
};

const taskSettings = {
  queue: z.string().regex(queueNamePattern, 'queue must be 1–64 letters, digits, ., _ or -'),
  type: z.string().min(1).max(taskLimits.maxTypeLength),
  input: jsonValue.default({}),
  retry: retryPolicyChange.optional(),
  timeoutMs: z.int().min(1).max(taskLimits.maxTimeoutMs).optional(),
};

export const taskNode = z.strictObject({ ...nodeBase, kind: z.literal('task'), ...taskSettings });
export const mapNode = z.strictObject({
  ...nodeBase,
  kind: z.literal('map'),
  ...taskSettings,
  /** An expression that gives the list to fan out over. */
  over: expression,
  concurrency: z.int().min(1).max(workflowLimits.maxMapConcurrency).default(10),
});
export const reduceNode = z.strictObject({ ...nodeBase, kind: z.literal('reduce'), ...taskSettings });
export const branchNode = z.strictObject({ ...nodeBase, kind: z.literal('branch') });
export const subWorkflowNode = z.strictObject({
  ...nodeBase,
  kind: z.literal('workflow'),
  workflow: z.string().regex(workflowNamePattern),
  /** The version to run; the latest at the time the run reaches the node when absent. */
  version: z.int().min(1).optional(),
  input: jsonValue.default({}),
});

export const workflowNode = z.discriminatedUnion('kind', [taskNode, mapNode, reduceNode, branchNode, subWorkflowNode]);
export type WorkflowNode = z.infer<typeof workflowNode>;
export type WorkflowNodeKind = WorkflowNode['kind'];

export const workflowEdge = z.strictObject({
  from: nodeId,
  to: nodeId,
  /** A condition over `input` and `nodes`; the edge is taken only when it is true. */
  when: expression.optional(),
});
export type WorkflowEdge = z.infer<typeof workflowEdge>;

export const workflowDefinition = z.strictObject({
  name: z.string().regex(workflowNamePattern, 'name must be 1–64 letters, digits, ., _ or -'),
  description: z.string().max(2_000).optional(),
  nodes: z.array(workflowNode).min(1, 'a workflow needs at least one node').max(workflowLimits.maxNodes),
  edges: z.array(workflowEdge).max(workflowLimits.maxEdges).default([]),
});
export type WorkflowDefinition = z.infer<typeof workflowDefinition>;
/** A definition as written, before defaults (`join`, `input`, `edges`, `concurrency`) are filled in. */
export type WorkflowDefinitionInput = z.input<typeof workflowDefinition>;
