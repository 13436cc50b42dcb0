import { z } from 'zod';
import { taskStates } from '../../task.js';
import { queueName } from './queues.js';
import { taskSchema } from './tasks.js';

/** A comma-separated list in a query string (`state=dead,cancelled`). */
function listOf<T extends string>(item: z.ZodType<T, string>, max: number) {
  return z
    .string()
    .max(2_000)
    .transform((text) => text.split(',').map((part) => part.trim()).filter((part) => part !== ''))
    .pipe(z.array(item).min(1).max(max));
}

const epochMilliseconds = z.coerce.number().int().min(0).max(8.64e15);

/** `GET /tasks`: every field narrows the search. */
export const taskSearchQuery = z.strictObject({
  queue: queueName.optional(),
  /** One task by id (the other filters still apply). */
  id: z.uuid().optional(),
  type: listOf(z.string().min(1).max(200), 50).optional(),
  state: listOf(z.enum(taskStates), taskStates.length).optional(),
  /** The task's latest event at or after this (epoch ms). */
  since: epochMilliseconds.optional(),
  until: epochMilliseconds.optional(),
  /** Case-insensitive text in the payload or the last error's message. */
  text: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().min(1).max(4_000).optional(),
});

export const foundTask = taskSchema.extend({
  /** `engine` while the engine holds the task; `history` once archived. */
  source: z.enum(['engine', 'history']),
  /** The task a retry or requeue made from this one. */
  requeuedAs: z.string().nullable(),
});

export const taskSearchPage = z.object({ tasks: z.array(foundTask), nextCursor: z.string().nullable() });

/** A filter in a body: the same fields as the search, as JSON. */
export const taskFilter = z.strictObject({
  queue: queueName,
  types: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
  states: z.array(z.enum(taskStates)).min(1).optional(),
  since: z.int().min(0).optional(),
  until: z.int().min(0).optional(),
  text: z.string().min(1).max(200).optional(),
});

/** Most tasks one bulk request acts on; `more` in the answer says there were others. */
export const maxBulkAction = 50_000;

export const bulkActionRequest = z.strictObject({
  filter: taskFilter,
  /** `cancel` live tasks; `retry` dead or cancelled ones; `promote` scheduled or backing-off ones. */
  action: z.enum(['cancel', 'retry', 'promote']),
  /** True: only count what the action would apply to. Always ask for the count first. */
  dryRun: z.boolean(),
});

export const bulkActionResponse = z.object({
  dryRun: z.boolean(),
  /** Tasks the filter matched that the action applies to. */
  matched: z.int(),
  /** Tasks changed (0 in a dry run). */
  applied: z.int(),
  /** True when more tasks matched than one request acts on: send it again. */
  more: z.boolean(),
});

export const retryResponse = z.object({
  /** The task that will run: the same id when the engine still held it, else a copy's. */
  taskId: z.string(),
  /** Whether it was queued again; false when the task is not dead or cancelled. */
  applied: z.boolean(),
  copied: z.boolean(),
});

export const deadLetterGroup = z.object({
  queue: z.string(),
  signature: z.string(),
  title: z.string(),
  count: z.int(),
  types: z.array(z.string()),
  firstAt: z.number(),
  lastAt: z.number(),
  latestTaskId: z.string(),
});

export const deadLetterGroupsQuery = z.strictObject({ queue: queueName.optional() });
export const deadLetterGroupsResponse = z.object({ groups: z.array(deadLetterGroup) });

export const deadLettersQuery = z.strictObject({
  queue: queueName,
  signature: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().min(1).max(500).optional(),
});
export const deadLettersPage = z.object({
  tasks: z.array(taskSchema.extend({ errorSignature: z.string().nullable(), errorTitle: z.string().nullable() })),
  nextCursor: z.string().nullable(),
});

/** Requeue one dead task (optionally with an edited payload) or a whole group. */
export const requeueDeadLettersRequest = z
  .strictObject({
    queue: queueName,
    signature: z.string().min(1).max(500).optional(),
    taskId: z.uuid().optional(),
    /** Only with `taskId`: the payload the copy runs with. */
    payload: z.unknown().optional(),
  })
  .refine((request) => (request.signature === undefined) !== (request.taskId === undefined), { message: 'give either signature or taskId', path: ['signature'] })
  .refine((request) => request.payload === undefined || request.taskId !== undefined, { message: 'an edited payload needs taskId', path: ['payload'] });

export const requeueDeadLettersResponse = z.object({
  requeued: z.array(z.object({ from: z.string(), to: z.string() })),
  /** True when the group had more tasks than one request requeues: send it again. */
  more: z.boolean(),
});

export const purgeDeadLettersRequest = z.strictObject({ queue: queueName, signature: z.string().min(1).max(500).optional() });
export const purgeDeadLettersResponse = z.object({ purged: z.int() });

export const drainResponse = z.object({ cancelled: z.int(), more: z.boolean() });
