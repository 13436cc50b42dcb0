import { z } from 'zod';
import { workflowNamePattern } from '../../workflows/workflowDefinition.js';

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
