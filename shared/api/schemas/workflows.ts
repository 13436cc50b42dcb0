import { z } from 'zod';
import { workflowDefinition, workflowNamePattern } from '../../workflows/workflowDefinition.js';

export const workflowParams = z.strictObject({ name: z.string().regex(workflowNamePattern, 'name must be 1–64 letters, digits, ., _ or -') });

/** `POST /workflows`: a definition to save as the next version of its workflow (the first, for a new name). */
export const saveWorkflowRequest = z.strictObject({
  /** Checked in full by `validateWorkflow` (shared/workflows); every problem comes back as an issue naming its nodes. */
  definition: z.unknown(),
  /** What changed, for the version history. */
  message: z.string().trim().max(500).default(''),
});

export const workflowVersionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

export const workflowVersionSummary = z.object({
  version: z.number().int(),
  message: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.number(),
});
export type WorkflowVersionSummary = z.infer<typeof workflowVersionSummary>;

/** One version of a workflow with its definition. */
export const workflowVersionView = workflowVersionSummary.extend({
  name: z.string(),
  latestVersion: z.number().int(),
  definition: workflowDefinition,
});
export type WorkflowVersionView = z.infer<typeof workflowVersionView>;

export const workflowListItem = z.object({
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number().int(),
  nodeCount: z.number().int(),
  updatedAt: z.number(),
});
export const workflowsResponse = z.object({ workflows: z.array(workflowListItem) });
export const workflowVersionsResponse = z.object({ versions: z.array(workflowVersionSummary) });

export const workflowDiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});

const edgeEnds = z.object({ from: z.string(), to: z.string() });
export const workflowDiffResponse = z.object({
  from: z.number().int(),
  to: z.number().int(),
  nodes: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.object({ id: z.string(), fields: z.array(z.string()) })) }),
  edges: z.object({ added: z.array(edgeEnds), removed: z.array(edgeEnds), changed: z.array(edgeEnds) }),
  description: z.boolean(),
});
