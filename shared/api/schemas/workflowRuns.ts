import { z } from 'zod';
import { nodeIdPattern, workflowNamePattern } from '../../workflows/workflowDefinition.js';

export const runStateNames = ['running', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
export const runNodeStateNames = ['waiting', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export const retryModeNames = ['node', 'downstream', 'failed'] as const;

export const runParams = z.strictObject({ id: z.uuid() });

/** `POST /workflows/:name/runs`: the run's input (any JSON value) and, optionally, the version to run. */
export const startRunRequest = z.strictObject({
  input: z.unknown().default({}),
  version: z.int().min(1).optional(),
});

export const runsQuery = z.strictObject({
  workflow: z.string().regex(workflowNamePattern).optional(),
  state: z.enum(runStateNames).optional(),
  /** Runs created before this time (epoch ms): the `createdAt` of the last run of the previous page. */
  before: z.coerce.number().int().min(0).optional(),
  /**
   * With `before`: the `id` of that last run, so runs created in the same millisecond are not
   * skipped — the page goes on after (`createdAt`, `id`) in the list's order.
   */
  beforeId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const retryRunRequest = z.strictObject({
  node: z.string().min(1).max(64),
  /** `node`: that node only; `downstream`: it and everything after it; `failed`: the failed nodes from it on. */
  mode: z.enum(retryModeNames),
});

const jsonOrNull = z.unknown().nullable();

export const runSummary = z.object({
  id: z.string(),
  workflow: z.string(),
  version: z.number().int(),
  state: z.enum(runStateNames),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  failure: z.object({ nodeIds: z.array(z.string()), message: z.string() }).nullable(),
});
export type RunSummary = z.infer<typeof runSummary>;

export const runNodeView = z.object({
  id: z.string(),
  state: z.enum(runNodeStateNames),
  /** How many times the run started the node (1, plus one per retry from it). */
  starts: z.number().int(),
  /**
   * How many attempts the node's task took, recorded when the node finished with it; while it
   * runs, the attempts so far once one failed and the task is retried (null before). Null for
   * nodes without a task of their own (map, sub-workflow). Absent from agents older than this field.
   */
  attempts: z.number().int().nullable().optional(),
  input: jsonOrNull,
  output: jsonOrNull,
  error: jsonOrNull,
  task: z.object({ queue: z.string(), id: z.string() }).nullable(),
  subRun: z.string().nullable(),
  items: z.object({ total: z.number().int(), finished: z.number().int() }).nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});

export const runView = runSummary.extend({
  input: jsonOrNull,
  output: jsonOrNull,
  nodes: z.array(runNodeView),
  edges: z.array(z.object({ from: z.string(), to: z.string(), taken: z.boolean() })),
});
export type RunView = z.infer<typeof runView>;

export const runsResponse = z.object({ runs: z.array(runSummary) });

export const runItemStateNames = ['waiting', 'running', 'succeeded', 'failed'] as const;

export const runItemsParams = z.strictObject({ id: z.uuid(), node: z.string().regex(nodeIdPattern, 'node must be a node id') });

/** A page of a map node's items, in index order. */
export const runItemsQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  state: z.enum(runItemStateNames).optional(),
});

export const runItemView = z.object({
  index: z.number().int(),
  state: z.enum(runItemStateNames),
  task: z.object({ queue: z.string(), id: z.string() }).nullable(),
  output: jsonOrNull,
  error: jsonOrNull,
});
export type RunItemView = z.infer<typeof runItemView>;

/** `total` counts the node's items in `state` (all of them without one), not only this page. */
export const runItemsResponse = z.object({ total: z.number().int(), items: z.array(runItemView) });
