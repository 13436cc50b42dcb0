/**
 * The event stream: one WebSocket per client at `GET /api/v1/events`, JSON text frames both ways.
 * The client authenticates, then subscribes to topics under ids of its own choosing; the agent
 * answers each subscription with `subscribed` or `refused`, then sends `event`s for it until the
 * client unsubscribes or the socket closes. docs/events.md describes what each topic delivers.
 *
 * Client → agent: `authenticate`, `subscribe`, `unsubscribe`, `ping`.
 * Agent → client: `authenticated`, `subscribed`, `refused`, `unsubscribed`, `event`, `error`, `pong`.
 */
import { z } from 'zod';
import type { Permission } from '../security/permissions.js';
import { permissions, roles } from '../security/permissions.js';
import { taskLimits, taskStates } from '../task.js';
import { auditEntrySchema } from './schemas/audit.js';
import { queueName, stateCounts } from './schemas/queues.js';
import { workersResponse } from './schemas/workers.js';
import { runNodeStateNames, runStateNames } from './schemas/workflowRuns.js';

/** Under `/api/v1`. */
export const eventsPath = '/events';

/** Bounds the agent keeps per socket; a client that stays inside them is never cut off. */
export const eventStreamLimits = {
  /** The first `authenticate` must arrive within this many milliseconds of the upgrade. */
  authenticateWithinMs: 5_000,
  /** Subscriptions one socket may hold at once. */
  maxSubscriptions: 100,
  /** Largest frame a client may send, in bytes (the agent closes with 1009 above it). */
  maxMessageBytes: 64 * 1024,
  /** Bytes the agent lets queue up unsent to a client that reads too slowly before closing with `slowConsumer`. */
  maxBufferedBytes: 4 * 1024 * 1024,
  /** Client messages per second on average, with bursts up to `messageBurst`; more are answered `rate_limited` and ignored. */
  messagesPerSecond: 50,
  messageBurst: 200,
  /** Most types one `tasks` filter may name. */
  maxFilterTypes: 50,
} as const;

/** WebSocket close codes the agent uses, beside 1001 (the agent shuts down) and 1009 (frame too big). */
export const eventCloseCodes = {
  /** No valid credential: the first message was not a good `authenticate`, it came too late, or a key was revoked. */
  unauthenticated: 4401,
  /** The access token reached its `exp` without a fresh `authenticate`: refresh, then reconnect or re-authenticate sooner. */
  tokenExpired: 4440,
  /** The client read so slowly that `maxBufferedBytes` were waiting to be sent. */
  slowConsumer: 4429,
  /** The agent holds as many sockets as it allows; try again later. */
  tryAgainLater: 1013,
} as const;

const subscriptionId = z.string().min(1).max(100);
const taskType = z.string().min(1).max(taskLimits.maxTypeLength);

/** What a subscription is about. */
export const eventTopic = z.discriminatedUnion('kind', [
  /** Counts per state and the paused flag of one queue, or of every queue, each second. */
  z.strictObject({ kind: z.literal('queueStats'), queue: queueName.optional() }),
  /** One task's state: its current state at once, then every change of state or attempts. */
  z.strictObject({ kind: z.literal('task'), queue: queueName, taskId: z.uuid() }),
  /** A filter over one queue's tasks: counts deltas each second, and each task that finishes (see docs/events.md). */
  z.strictObject({
    kind: z.literal('tasks'),
    queue: queueName,
    types: z.array(taskType).min(1).max(eventStreamLimits.maxFilterTypes).optional(),
    states: z.array(z.enum(taskStates)).min(1).optional(),
  }),
  /** The worker registry: the list at once, then on every change and at least every few seconds. */
  z.strictObject({ kind: z.literal('workers') }),
  /** Every audit entry appended anywhere in the cluster. */
  z.strictObject({ kind: z.literal('audit') }),
  /** One workflow run: its state and every node's state at once, then on every change. */
  z.strictObject({ kind: z.literal('run'), runId: z.uuid() }),
]);
export type EventTopic = z.infer<typeof eventTopic>;
export type EventKind = EventTopic['kind'];
export type TopicOf<K extends EventKind> = Extract<EventTopic, { kind: K }>;

/** The permission a subscription to `topic` needs: the audit log is for `audit:read`, the rest for `read`. */
export function topicPermission(topic: Pick<EventTopic, 'kind'>): Permission {
  return topic.kind === 'audit' ? 'audit:read' : 'read';
}

export const clientMessage = z.discriminatedUnion('type', [
  /** The access token or API key. First message of every socket (unless the upgrade carried `Authorization`); again at any time to extend it. */
  z.strictObject({ type: z.literal('authenticate'), token: z.string().min(1).max(4096) }),
  z.strictObject({ type: z.literal('subscribe'), id: subscriptionId, topic: eventTopic }),
  z.strictObject({ type: z.literal('unsubscribe'), id: subscriptionId }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

/** A task as events carry it: no payload, result or history (fetch the task for those). */
export const taskSummary = z.object({
  id: z.string(),
  queue: z.string(),
  type: z.string(),
  state: z.enum(taskStates),
  priority: z.int(),
  runAt: z.number(),
  attempts: z.int(),
  maxAttempts: z.int(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** The last failed attempt's error, without its stack. */
  error: z.object({ message: z.string(), code: z.string().optional() }).nullable(),
});
export type TaskSummary = z.infer<typeof taskSummary>;

export const queueStatsData = z.object({
  queues: z.array(z.object({ name: z.string(), paused: z.boolean(), counts: stateCounts })),
});

export const taskData = z.object({
  /** Null once the task is gone from the engine without a final state being seen (its queue was deleted). */
  task: taskSummary.nullable(),
});

const partialCounts = stateCounts.partial();
export const tasksData = z.discriminatedUnion('change', [
  z.object({
    change: z.literal('counts'),
    /** The queue's counts of the filter's states (every state when it names none). */
    counts: partialCounts,
    /** Change per state since the previous counts event of this subscription; null on the first. */
    delta: partialCounts.nullable(),
  }),
  z.object({ change: z.literal('finished'), tasks: z.array(taskSummary) }),
  z.object({
    change: z.literal('states'),
    /** Tasks matching the filter that appeared or changed state since the previous tick. */
    tasks: z.array(taskSummary),
    /** False when the queue held more live tasks than one tick looks at: changes beyond them are not reported. */
    complete: z.boolean(),
  }),
]);

export const workersData = workersResponse;

/** A workflow run as `run` events carry it: states only (fetch the run for inputs and outputs). */
export const runData = z.object({
  run: z.object({
    id: z.string(),
    state: z.enum(runStateNames),
    failure: z.object({ nodeIds: z.array(z.string()), message: z.string() }).nullable(),
    nodes: z.array(
      z.object({
        id: z.string(),
        state: z.enum(runNodeStateNames),
        starts: z.int(),
        /** As `runNodeView.attempts`: the node task's attempts once it finished, or so far while it is retried. */
        attempts: z.int().nullable().optional(),
        items: z.object({ total: z.int(), finished: z.int() }).nullable(),
        startedAt: z.number().nullable(),
        finishedAt: z.number().nullable(),
      }),
    ),
  }),
});
export const auditData = auditEntrySchema;

export const eventDataSchemas = {
  queueStats: queueStatsData,
  task: taskData,
  tasks: tasksData,
  workers: workersData,
  audit: auditData,
  run: runData,
} as const satisfies Record<EventKind, z.ZodType>;
export type EventData<K extends EventKind = EventKind> = z.infer<(typeof eventDataSchemas)[K]>;

const at = z.number();
const eventMessage = z.discriminatedUnion('kind', [
  z.object({ type: z.literal('event'), id: subscriptionId, kind: z.literal('queueStats'), data: queueStatsData, at }),
  z.object({ type: z.literal('event'), id: subscriptionId, kind: z.literal('task'), data: taskData, at }),
  z.object({ type: z.literal('event'), id: subscriptionId, kind: z.literal('tasks'), data: tasksData, at }),
  z.object({ type: z.literal('event'), id: subscriptionId, kind: z.literal('workers'), data: workersData, at }),
  z.object({ type: z.literal('event'), id: subscriptionId, kind: z.literal('audit'), data: auditData, at }),
  z.object({ type: z.literal('event'), id: subscriptionId, kind: z.literal('run'), data: runData, at }),
]);

/**
 * Why a subscription was refused (or ended by the agent after a re-authentication): the message
 * was `invalid`, the credential lacks the permission (`forbidden`), the queue or task does not
 * exist (`not_found`), the socket holds `maxSubscriptions` already (`too_many`), or the agent could
 * not start it now because Redis or PostgreSQL failed (`unavailable`: try again).
 */
export const refusalCodes = ['invalid', 'forbidden', 'not_found', 'too_many', 'unavailable'] as const;
export type RefusalCode = (typeof refusalCodes)[number];

/** What an `error` (a message the agent could not act on, not tied to a subscription) means. */
export const eventErrorCodes = ['invalid', 'not_found', 'unauthenticated', 'rate_limited', 'internal'] as const;
export type EventErrorCode = (typeof eventErrorCodes)[number];

export const serverMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('authenticated'),
    principal: z.object({ kind: z.enum(['user', 'apiKey']), id: z.string(), name: z.string(), role: z.enum(roles), permissions: z.array(z.enum(permissions)) }),
    /** When the access token expires (epoch ms): `authenticate` again before, or the socket closes with `tokenExpired`. Null for an API key. */
    expiresAt: z.number().nullable(),
  }),
  z.object({ type: z.literal('subscribed'), id: subscriptionId, topic: eventTopic }),
  z.object({
    type: z.literal('refused'),
    /** The subscription's id, when the message had a usable one. */
    id: subscriptionId.nullable(),
    code: z.enum(refusalCodes),
    message: z.string(),
    /** For `invalid` and `not_found`: the offending field of the message, e.g. `topic.queue`. */
    field: z.string().optional(),
    /** For `forbidden`: the permission that is missing. */
    permission: z.enum(permissions).optional(),
  }),
  z.object({ type: z.literal('unsubscribed'), id: subscriptionId }),
  eventMessage,
  z.object({ type: z.literal('error'), code: z.enum(eventErrorCodes), message: z.string(), field: z.string().optional() }),
  z.object({ type: z.literal('pong'), at }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;
export type EventMessage = Extract<ServerMessage, { type: 'event' }>;

/**
 * The path of a zod issue as the stream names fields: `topic.states[1]`, `id`; for an unknown
 * key, the key itself (`topic.extra`). Undefined for the message as a whole.
 */
export function messageFieldOf(issue: { path: readonly PropertyKey[]; code?: string; keys?: readonly string[] }): string | undefined {
  const segments = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined) segments.push(issue.keys[0]);
  const path = segments.reduce<string>((joined, segment) => (typeof segment === 'number' ? `${joined}[${segment}]` : joined === '' ? String(segment) : `${joined}.${String(segment)}`), '');
  return path === '' ? undefined : path;
}
