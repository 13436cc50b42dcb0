import type pg from 'pg';
import { defaultBackoff, defaultTimeoutMs, type FinishedState, type Task, type TaskError } from '../../shared/task.js';

/** What a search of history may filter on; every field narrows it. */
export interface HistoryFilter {
  queue?: string;
  types?: readonly string[];
  states?: readonly FinishedState[];
  /** Finished at or after (epoch ms). */
  since?: number;
  /** Finished before (epoch ms). */
  until?: number;
  /** Case-insensitive text in the payload or the last error's message. */
  text?: string;
}

/** Where a page ended: search again from here for the next one. */
export interface HistoryPosition {
  finishedAt: number;
  id: string;
}

/** A task from history, with what triage adds. */
export interface HistoryTask extends Task {
  errorSignature: string | null;
  errorTitle: string | null;
  /** The task enqueued from this one by a retry, if any. */
  requeuedAs: string | null;
}

export interface DeadLetterGroup {
  queue: string;
  signature: string;
  title: string;
  count: number;
  types: string[];
  firstAt: number;
  lastAt: number;
  /** The most recent task of the group, to look at. */
  latestTaskId: string;
}

/**
 * Reads and triages archived tasks (`task_history`): lookup by id, search newest first with
 * keyset pages, and the dead-letter queue — dead tasks not yet requeued, grouped by the
 * signature of their last error.
 */
export class TaskHistory {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string, queue?: string): Promise<HistoryTask | undefined> {
    const { rows } = await this.pool.query<HistoryRow>(`${selectTasks} where id = $1 and ($2::text is null or queue = $2)`, [id, queue ?? null]);
    return rows[0] && taskOf(rows[0]);
  }

  /** Up to `limit` tasks, newest finish first, after `after`. */
  async search(filter: HistoryFilter, limit: number, after?: HistoryPosition): Promise<HistoryTask[]> {
    const { rows } = await this.pool.query<HistoryRow>(
      `${selectTasks}
       where ($1::text is null or queue = $1)
         and ($2::text[] is null or type = any($2))
         and ($3::text[] is null or state = any($3))
         and ($4::timestamptz is null or finished_at >= $4)
         and ($5::timestamptz is null or finished_at < $5)
         and ($6::text is null or payload::text ilike $6 or error->>'message' ilike $6)
         and ($7::timestamptz is null or (finished_at, id) < ($7, $8::uuid))
       order by finished_at desc, id desc
       limit $9`,
      [
        filter.queue ?? null,
        filter.types?.length ? filter.types : null,
        filter.states?.length ? filter.states : null,
        time(filter.since),
        time(filter.until),
        filter.text ? `%${escapeLike(filter.text)}%` : null,
        time(after?.finishedAt),
        after?.id ?? null,
        limit,
      ],
    );
    return rows.map(taskOf);
  }

  /** Dead tasks not yet requeued, grouped by error signature, the largest group first. */
  async deadLetterGroups(queue?: string): Promise<DeadLetterGroup[]> {
    const { rows } = await this.pool.query<GroupRow>(
      `select queue, coalesce(error_signature, '(no error)') as signature, coalesce(max(error_title), '(no error)') as title,
              count(*)::int as count, array_agg(distinct type order by type) as types,
              min(finished_at) as first_at, max(finished_at) as last_at,
              (array_agg(id order by finished_at desc))[1] as latest_task_id
         from task_history
        where state = 'dead' and requeued_at is null and ($1::text is null or queue = $1)
        group by queue, error_signature
        order by count(*) desc, max(finished_at) desc
        limit 1000`,
      [queue ?? null],
    );
    return rows.map((row) => ({
      queue: row.queue,
      signature: row.signature,
      title: row.title,
      count: row.count,
      types: row.types,
      firstAt: row.first_at.getTime(),
      lastAt: row.last_at.getTime(),
      latestTaskId: row.latest_task_id,
    }));
  }

  /** Dead tasks of a queue not yet requeued (of one signature when given), newest first. */
  async deadLetters(queue: string, signature: string | undefined, limit: number, after?: HistoryPosition): Promise<HistoryTask[]> {
    const { rows } = await this.pool.query<HistoryRow>(
      `${selectTasks}
       where state = 'dead' and requeued_at is null and queue = $1
         and ($2::text is null or coalesce(error_signature, '(no error)') = $2)
         and ($3::timestamptz is null or (finished_at, id) < ($3, $4::uuid))
       order by finished_at desc, id desc
       limit $5`,
      [queue, signature ?? null, time(after?.finishedAt), after?.id ?? null, limit],
    );
    return rows.map(taskOf);
  }

  /** Records that each task was enqueued again as another; it leaves the dead-letter queue. */
  async markRequeued(requeued: ReadonlyArray<{ id: string; requeuedAs: string }>): Promise<void> {
    if (requeued.length === 0) return;
    await this.pool.query(
      `update task_history set requeued_as = moved.requeued_as, requeued_at = now()
         from unnest($1::uuid[], $2::uuid[]) as moved(id, requeued_as)
        where task_history.id = moved.id`,
      [requeued.map((entry) => entry.id), requeued.map((entry) => entry.requeuedAs)],
    );
  }

  /** Deletes dead tasks not yet requeued from history (of one signature when given); answers how many. */
  async purgeDeadLetters(queue: string, signature?: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `delete from task_history where state = 'dead' and requeued_at is null and queue = $1
          and ($2::text is null or coalesce(error_signature, '(no error)') = $2)`,
      [queue, signature ?? null],
    );
    return rowCount ?? 0;
  }
}

interface HistoryRow {
  id: string;
  queue: string;
  type: string;
  state: FinishedState;
  priority: number;
  payload: unknown;
  result: unknown;
  error: TaskError | null;
  attempts: number;
  max_attempts: number;
  attempt_history: Task['history'];
  idempotency_key: string | null;
  trace_parent: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date;
  error_signature: string | null;
  error_title: string | null;
  requeued_as: string | null;
  timeout_ms: number | null;
  backoff: Task['backoff'] | null;
}

interface GroupRow {
  queue: string;
  signature: string;
  title: string;
  count: number;
  types: string[];
  first_at: Date;
  last_at: Date;
  latest_task_id: string;
}

const selectTasks = `select id, queue, type, state, priority, payload, result, error, attempts, max_attempts, attempt_history,
  idempotency_key, trace_parent, created_at, started_at, finished_at, error_signature, error_title, requeued_as, timeout_ms, backoff from task_history`;

/** A row as a task; rows archived before timeouts and retry policies were kept read back with the defaults. */
function taskOf(row: HistoryRow): HistoryTask {
  return {
    id: row.id,
    queue: row.queue,
    type: row.type,
    payload: row.payload,
    state: row.state,
    priority: row.priority,
    runAt: row.created_at.getTime(),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    timeoutMs: row.timeout_ms ?? defaultTimeoutMs,
    backoff: row.backoff ?? defaultBackoff,
    idempotencyKey: row.idempotency_key,
    traceParent: row.trace_parent,
    createdAt: row.created_at.getTime(),
    startedAt: row.started_at?.getTime() ?? null,
    finishedAt: row.finished_at.getTime(),
    result: row.result,
    error: row.error,
    history: row.attempt_history,
    errorSignature: row.error_signature,
    errorTitle: row.error_title,
    requeuedAs: row.requeued_as,
  };
}

function time(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}

/** `text` matched literally by `ilike`: its wildcards and the escape character escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
