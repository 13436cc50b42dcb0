import { errorSignature } from '../../shared/errorSignature.js';
import { jsonIsUnstorable, storable, storableValue } from '../../shared/storableText.js';
import type pg from 'pg';
import type { RetentionPolicy } from '../../shared/queue.js';
import type { Task } from '../../shared/task.js';

/**
 * Writes finished tasks into `task_history` in one statement: every column travels as one array
 * parameter and `unnest` turns the arrays back into rows, so a batch of a thousand tasks is one
 * round trip and one plan.
 *
 * Archiving is at-least-once: a batch inserted just before a crash is taken again, and its rows,
 * already there with the same `finished_at`, are left alone, so nothing is duplicated. A row is
 * replaced only by a later finish of the same task (one requeued between its insert and the
 * engine forgetting it), so history shows how the task really ended.
 *
 * `payloadRetention` decides which payloads are kept (see RetentionPolicy). Answers how many rows
 * were written.
 */
export async function insertHistory(
  db: pg.Pool | pg.ClientBase,
  batch: readonly Task[],
  payloadRetention: RetentionPolicy['payload'],
): Promise<number> {
  const tasks = latestFinishes(batch);
  if (tasks.length === 0) return 0;
  const { rowCount } = await db.query(insertTaskHistory, [
    tasks.map((task) => task.id),
    tasks.map((task) => task.queue),
    tasks.map((task) => task.type),
    tasks.map((task) => task.state),
    tasks.map((task) => task.priority),
    tasks.map((task) => (keepsPayload(payloadRetention, task) ? json(task.payload) : null)),
    tasks.map((task) => storableJson(task.result)),
    tasks.map((task) => storableJson(task.error)),
    tasks.map((task) => task.attempts),
    tasks.map((task) => task.maxAttempts),
    tasks.map((task) => storableJson(task.history)),
    tasks.map((task) => task.idempotencyKey),
    tasks.map((task) => task.traceParent),
    tasks.map((task) => timestamp(task.createdAt)),
    tasks.map((task) => (task.startedAt === null ? null : timestamp(task.startedAt))),
    // A finished task always has finishedAt; should an engine leave it out, archive time stands in.
    tasks.map((task) => timestamp(task.finishedAt ?? Date.now())),
    ...signatureColumns(tasks),
    tasks.map((task) => task.timeoutMs),
    tasks.map((task) => JSON.stringify(task.backoff)),
  ]);
  return rowCount ?? 0;
}

/** The dead-letter grouping of each task's last error (storable: it is made from handler text). */
function signatureColumns(tasks: readonly Task[]): [Array<string | null>, Array<string | null>] {
  const signatures = tasks.map((task) => (task.error ? errorSignature(task.error) : null));
  return [signatures.map((found) => found && storable(found.signature)), signatures.map((found) => found && storable(found.title))];
}

/** `all` keeps every payload, `failed` only those of dead and cancelled tasks, `none` none. */
export function keepsPayload(policy: RetentionPolicy['payload'], task: Pick<Task, 'state'>): boolean {
  return policy === 'all' || (policy === 'failed' && task.state !== 'succeeded');
}

/** One task per id, its latest finish: one statement may not write the same row twice. */
function latestFinishes(batch: readonly Task[]): Task[] {
  const byId = new Map<string, Task>();
  for (const task of batch) {
    const seen = byId.get(task.id);
    if (!seen || (task.finishedAt ?? 0) > (seen.finishedAt ?? 0)) byId.set(task.id, task);
  }
  return [...byId.values()];
}

/** JSON text for a jsonb array element; a missing or JSON-null value becomes SQL null. */
function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * JSON text of what a handler produced (result, errors) with U+0000 and lone surrogates replaced:
 * jsonb refuses both, and one such value would otherwise stop its whole batch from archiving.
 */
function storableJson(value: unknown): string | null {
  const text = json(value);
  return text !== null && jsonIsUnstorable(text) ? JSON.stringify(storableValue(value)) : text;
}

function timestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

const insertTaskHistory = `
insert into task_history (
  id, queue, type, state, priority, payload, result, error, attempts, max_attempts,
  attempt_history, idempotency_key, trace_parent, created_at, started_at, finished_at,
  error_signature, error_title, timeout_ms, backoff
)
select * from unnest(
  $1::uuid[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::jsonb[], $7::jsonb[], $8::jsonb[],
  $9::integer[], $10::integer[], $11::jsonb[], $12::text[], $13::text[], $14::timestamptz[],
  $15::timestamptz[], $16::timestamptz[], $17::text[], $18::text[], $19::integer[], $20::jsonb[]
)
on conflict (id) do update set
  state = excluded.state,
  priority = excluded.priority,
  payload = excluded.payload,
  result = excluded.result,
  error = excluded.error,
  attempts = excluded.attempts,
  max_attempts = excluded.max_attempts,
  attempt_history = excluded.attempt_history,
  started_at = excluded.started_at,
  finished_at = excluded.finished_at,
  error_signature = excluded.error_signature,
  error_title = excluded.error_title,
  archived_at = now()
where task_history.finished_at < excluded.finished_at`;
