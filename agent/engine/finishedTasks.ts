/**
 * Announcements of finished tasks (`Engine.onFinished`): which tasks are announced, what an
 * announcement carries, how it travels as text, and the bookkeeping an engine instance keeps to
 * announce the tasks it handed out.
 *
 * Only tasks whose idempotency key starts with `announcedKeyPrefix` are announced (the workflow
 * engine gives every task it enqueues such a key), so plain queues pay nothing. The engine
 * instance that claims a task notes it if its key is announced; when the same instance records
 * the attempt's outcome and the task finished (succeeded, or dead after its last attempt), it
 * announces it, with the outcome when that is small enough to travel. An attempt that failed and
 * will be retried is announced too, as `retrying` with its error: the task has not finished, but
 * a watcher learns how many attempts it has taken so far. Either way: the Redis engine passes
 * the keys to its acknowledgement script, which publishes in the same step
 * (commands/includes/announce.lua; nothing is added for outcomes of plain tasks); the Postgres
 * engine sends a NOTIFY once the acknowledgement committed. Announcements are a latency aid,
 * never the only way to learn that a task finished: one is lost when a worker dies between its
 * acknowledgement and a NOTIFY, when a listener's connection is down, when a lease expires into
 * `dead`, when an operator cancels the task, or when another engine instance acknowledges it.
 * Listeners look for themselves now and then too.
 */
import type { TaskError } from '../../shared/task.js';
import { workflowTaskKeyPrefix } from '../../shared/workflows/taskKeys.js';
import type { Acknowledged, ClaimedTask, LeaseRef, Outcome } from './Engine.js';

/** Tasks whose idempotency key starts with this (the workflow engine's) are announced when they finish. */
export const announcedKeyPrefix = workflowTaskKeyPrefix;

/** A result or error longer than this (as JSON) is left out of the announcement: read the task instead. Also in announce.lua. */
export const largestAnnouncedOutcome = 4_000;

/**
 * An announced task as `Engine.onFinished` listeners receive it: finished (`succeeded`, `dead`),
 * or `retrying` after a failed attempt (not finished: a listener that waits for ends skips it).
 */
export interface FinishedTask {
  queue: string;
  id: string;
  idempotencyKey: string;
  state: 'succeeded' | 'dead' | 'retrying';
  /** The result (succeeded) or the attempt's error (dead, retrying); absent when too large to travel: read the task. */
  outcome?: { result: unknown } | { error: TaskError };
  /** The attempt this outcome is of (1-based): for a finished task, how many attempts it took. Absent from an agent that did not send it. */
  attempts?: number;
}

/** Whether an announcement says the task finished (as opposed to `retrying`). */
export function hasFinished(task: FinishedTask): boolean {
  return task.state !== 'retrying';
}

export type FinishedListener = (tasks: readonly FinishedTask[]) => void;

/** Calls every listener; one that throws does not keep the others from hearing. */
export function tellListeners(listeners: Iterable<FinishedListener>, tasks: readonly FinishedTask[]): void {
  if (tasks.length === 0) return;
  for (const listener of listeners) {
    try {
      listener(tasks);
    } catch {
      // A listener's failure is its own; announcements are best effort.
    }
  }
}

/**
 * The announcement as text, in messages of at most `maxBytes` each (a Postgres NOTIFY payload
 * holds less than 8,000 bytes); a task too large alone travels without its outcome. A message is
 * `{"queue":…,"tasks":[[id, key, state, {"r": result} | {"e": error} | null], …]}` (announce.lua
 * writes the same), with the attempt that finished it as a fifth value when known.
 */
export function encodeFinishedInParts(queue: string, tasks: readonly FinishedTask[], maxBytes: number): string[] {
  const room = maxBytes - Buffer.byteLength(messageOf(queue, []));
  const parts: string[] = [];
  let entries: string[] = [];
  let used = 0;
  for (const task of tasks) {
    let entry = entryText(task);
    if (Buffer.byteLength(entry) > room) entry = entryText({ ...task, outcome: undefined });
    const size = Buffer.byteLength(entry) + (entries.length > 0 ? 1 : 0);
    if (used + size > room && entries.length > 0) {
      parts.push(messageOf(queue, entries));
      entries = [];
      used = 0;
    }
    entries.push(entry);
    used += Buffer.byteLength(entry) + (entries.length > 1 ? 1 : 0);
  }
  if (entries.length > 0) parts.push(messageOf(queue, entries));
  return parts;
}

function messageOf(queue: string, entries: readonly string[]): string {
  return `{"queue":${JSON.stringify(queue)},"tasks":[${entries.join(',')}]}`;
}

function entryText(task: FinishedTask): string {
  const outcome = task.outcome === undefined ? null : 'result' in task.outcome ? { r: task.outcome.result ?? null } : { e: task.outcome.error };
  const entry: unknown[] = [task.id, task.idempotencyKey, task.state, outcome];
  if (task.attempts !== undefined) entry.push(task.attempts);
  return JSON.stringify(entry);
}

/** The tasks of an announcement; empty for text that is not one (a listener must never throw on a bad message). */
export function decodeFinished(text: string): FinishedTask[] {
  try {
    const message = JSON.parse(text) as { queue?: unknown; tasks?: unknown };
    if (typeof message.queue !== 'string' || !Array.isArray(message.tasks)) return [];
    const queue = message.queue;
    return message.tasks.flatMap((entry: unknown): FinishedTask[] => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || (entry[2] !== 'succeeded' && entry[2] !== 'dead' && entry[2] !== 'retrying')) return [];
      const carried = entry[3] as { r?: unknown; e?: TaskError } | null;
      const outcome = carried === null || typeof carried !== 'object' ? undefined : 'e' in carried && carried.e ? { error: carried.e } : 'r' in carried ? { result: carried.r } : undefined;
      const attempts = Number.isInteger(entry[4]) && (entry[4] as number) > 0 ? { attempts: entry[4] as number } : {};
      return [{ queue, id: entry[0], idempotencyKey: entry[1], state: entry[2], ...(outcome ? { outcome } : {}), ...attempts }];
    });
  } catch {
    return [];
  }
}

/**
 * What one engine instance remembers between claiming announced tasks and recording their
 * outcomes: their idempotency keys, lease tokens and attempt numbers, by queue and id. An entry lives while its
 * attempt runs; a later claim of the same task (its lease had expired) replaces it, so the stale
 * acknowledgement of the earlier attempt leaves the entry of the current one alone.
 */
export class AnnouncedClaims {
  readonly #keys = new Map<string, { key: string; token: number; attempt: number }>();

  /** Notes the claimed tasks whose keys are announced. */
  claimed(queue: string, tasks: readonly ClaimedTask[]): void {
    for (const task of tasks) {
      if (task.idempotencyKey?.startsWith(announcedKeyPrefix)) this.#keys.set(entryOf(queue, task.id), { key: task.idempotencyKey, token: task.token, attempt: task.attempt });
    }
  }

  /** The outcomes (by position, from 1) that are of announced tasks this instance claimed, with their keys and attempt numbers. */
  announcedOf(queue: string, outcomes: readonly Outcome[]): Array<{ position: number; key: string; attempt: number }> {
    if (this.#keys.size === 0) return [];
    const found: Array<{ position: number; key: string; attempt: number }> = [];
    outcomes.forEach((outcome, index) => {
      const claimed = this.#keys.get(entryOf(queue, outcome.id));
      if (claimed !== undefined && claimed.token === outcome.token) found.push({ position: index + 1, key: claimed.key, attempt: claimed.attempt });
    });
    return found;
  }

  /** Forgets the outcomes' tasks and answers those to announce: finished with them, or to be retried. */
  settled(queue: string, outcomes: readonly Outcome[], acknowledged: readonly Acknowledged[]): FinishedTask[] {
    if (this.#keys.size === 0) return [];
    const finished: FinishedTask[] = [];
    outcomes.forEach((outcome, index) => {
      const claimed = this.#take(queue, outcome);
      if (claimed === undefined) return;
      const { key, attempt } = claimed;
      const status = acknowledged[index]?.status;
      if (status === 'succeeded' && outcome.status === 'succeeded') {
        finished.push({ queue, id: outcome.id, idempotencyKey: key, state: 'succeeded', ...carried({ result: outcome.result ?? null }), attempts: attempt });
      } else if ((status === 'dead' || status === 'retrying') && outcome.status === 'failed') {
        finished.push({ queue, id: outcome.id, idempotencyKey: key, state: status, ...carried({ error: outcome.error }), attempts: attempt });
      }
    });
    return finished;
  }

  /** Forgets the outcomes' tasks without answering anything (the Redis script announced them itself). */
  forget(queue: string, outcomes: readonly Outcome[]): void {
    if (this.#keys.size === 0) return;
    for (const outcome of outcomes) this.#take(queue, outcome);
  }

  /** The entry of the outcome's attempt, removed; undefined when this instance did not claim that attempt. */
  #take(queue: string, outcome: Outcome): { key: string; attempt: number } | undefined {
    const entry = entryOf(queue, outcome.id);
    const claimed = this.#keys.get(entry);
    if (claimed === undefined || claimed.token !== outcome.token) return undefined;
    this.#keys.delete(entry);
    return claimed;
  }

  /** Forgets tasks given back unfinished. */
  released(queue: string, leases: readonly LeaseRef[]): void {
    if (this.#keys.size === 0) return;
    for (const lease of leases) {
      const entry = entryOf(queue, lease.id);
      if (this.#keys.get(entry)?.token === lease.token) this.#keys.delete(entry);
    }
  }
}

function entryOf(queue: string, id: string): string {
  return `${queue}\u0000${id}`;
}

/** The outcome, when small enough to travel with the announcement. */
function carried(outcome: { result: unknown } | { error: TaskError }): { outcome?: FinishedTask['outcome'] } {
  const json = JSON.stringify('result' in outcome ? outcome.result : outcome.error) ?? 'null';
  return json.length <= largestAnnouncedOutcome ? { outcome } : {};
}
