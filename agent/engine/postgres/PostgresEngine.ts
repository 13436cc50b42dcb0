import type pg from 'pg';
import type { Logger } from 'pino';
import type { QueueDefinition } from '../../../shared/queue.js';
import type { StateCounts, Task, TaskInput } from '../../../shared/task.js';
import { defaultBackoff, taskStates } from '../../../shared/task.js';
import { taskErrorCodes } from '../../../shared/taskErrors.js';
import { checkQueueDefinition } from '../checkQueueDefinition.js';
import type {
  Acknowledged,
  ClaimRequest,
  Claimed,
  ClaimedTask,
  Engine,
  Enqueued,
  LeaseRef,
  Outcome,
  SettledAndClaimed,
} from '../Engine.js';
import { EngineError } from '../EngineError.js';
import { AnnouncedClaims, encodeFinishedInParts, type FinishedListener } from '../finishedTasks.js';
import { prepareTasks } from '../taskSpec.js';
import { engineErrorOf, enqueuePrepared, unknownQueue } from './enqueueStatement.js';
import { queueDefinitionOf, selectQueue, taskColumns, taskOf, type QueueRow, type TaskRow } from './queueRows.js';
import { finishedChannel, wakeChannel, WakeUps } from './WakeUps.js';

export interface PostgresEngineOptions {
  /** A pool on the database migration 0006 was applied to. The engine uses it but never ends it. */
  pool: pg.Pool;
  log?: Logger;
  /** While notifications do not reach it (PGlite, LISTEN down), subscribers are called this often. Default 1000 ms. */
  fallbackPollMs?: number;
}

/** Most tasks one claim hands out. */
export const maxClaimBatch = 1_000;

/** How long a cached queue definition is trusted for enqueue checks. */
const definitionCacheMs = 5_000;

/**
 * The Postgres engine: one `engine_tasks` table for all its queues, claims with
 * `FOR UPDATE SKIP LOCKED` in batches under a fencing token from a sequence, wake-ups with
 * LISTEN/NOTIFY. Every state change is one statement or one call of a function of migration
 * 0006, so it is atomic; time is the database's clock. See docs/engine-postgres.md.
 */
export class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #log: Logger | undefined;
  readonly #wakeUps: WakeUps;
  readonly #definitions = new Map<string, { definition: QueueDefinition; fetchedAt: number }>();
  readonly #announced = new AnnouncedClaims();
  #embedded: Promise<boolean> | undefined;

  constructor({ pool, log, fallbackPollMs }: PostgresEngineOptions) {
    this.#pool = pool;
    this.#log = log;
    this.#wakeUps = new WakeUps(pool, log, () => this.#isEmbedded(), fallbackPollMs);
  }

  async defineQueue(definition: QueueDefinition): Promise<void> {
    checkQueueDefinition(definition);
    await this.#pool.query(upsertQueue, [
      definition.name,
      definition,
      definition.concurrency,
      definition.rateLimit?.max ?? null,
      definition.rateLimit?.intervalMs ?? null,
      definition.deduplicationWindowMs,
    ]);
    this.#definitions.set(definition.name, { definition, fetchedAt: Date.now() });
  }

  async getQueue(name: string): Promise<QueueDefinition | undefined> {
    const { rows } = await this.#pool.query<QueueRow>(selectQueue, [name]);
    return rows[0] && queueDefinitionOf(rows[0]);
  }

  async listQueues(): Promise<QueueDefinition[]> {
    const { rows } = await this.#pool.query<QueueRow>(selectQueues);
    return rows.map(queueDefinitionOf);
  }

  async deleteQueue(name: string): Promise<void> {
    this.#definitions.delete(name);
    await this.#pool.query(deleteQueue, [name]);
  }

  async pause(queue: string): Promise<void> {
    await this.#setPaused(queue, true);
  }

  async resume(queue: string): Promise<void> {
    await this.#setPaused(queue, false);
    await this.#wake([queue]);
  }

  async isPaused(queue: string): Promise<boolean> {
    const { rows } = await this.#pool.query<QueueRow>(selectQueue, [queue]);
    if (!rows[0]) throw this.#unknownQueue(queue);
    return rows[0].paused;
  }

  async enqueue(queue: string, task: TaskInput): Promise<Enqueued> {
    const [enqueued] = await this.enqueueBulk(queue, [task]);
    return enqueued!;
  }

  /**
   * Validates every task, then writes the whole batch in one statement (atomic), and wakes idle
   * workers after the commit: a NOTIFY inside the insert's transaction would make its commit wait
   * for every other notifying commit (see docs/engine-postgres.md).
   */
  async enqueueBulk(queue: string, tasks: readonly TaskInput[]): Promise<Enqueued[]> {
    const prepared = prepareTasks(await this.#definition(queue), tasks);
    const { enqueued, wake } = await enqueuePrepared(this.#pool, queue, prepared, false).catch((error: unknown) => {
      throw this.#mapped(error, queue);
    });
    if (wake) await this.#wake([queue]);
    return enqueued;
  }

  async claim(queue: string, request: ClaimRequest): Promise<Claimed> {
    const { tasks, nextDueAt } = await this.settleAndClaim(queue, [], request);
    return { tasks, nextDueAt };
  }

  async acknowledge(queue: string, outcomes: readonly Outcome[]): Promise<Acknowledged[]> {
    if (outcomes.length === 0) return [];
    return (await this.settleAndClaim(queue, outcomes, { workerId: '', max: 0, leaseMs: 0 })).acknowledged;
  }

  async settleAndClaim(queue: string, outcomes: readonly Outcome[], request: ClaimRequest): Promise<SettledAndClaimed> {
    const max = Math.max(0, Math.min(Math.floor(request.max), maxClaimBatch));
    const leaseMs = Math.max(1, Math.floor(request.leaseMs));
    const { rows } = await this.#pool
      .query<SettleAnswer>(settleAndClaim, [queue, request.workerId, max, leaseMs, outcomes.length > 0 ? outcomesJson(outcomes) : null])
      .catch((error: unknown) => {
        throw this.#mapped(error, queue);
      });
    const answer = rows[0]!;
    const leaseUntil = Number(answer.out_lease_until);
    const acknowledged = (answer.out_acknowledged ?? []).map((status, index) => ({ id: outcomes[index]!.id, status }));
    const tasks: ClaimedTask[] = (answer.out_tasks ?? []).map((task) => ({
      id: task.id,
      queue,
      type: task.type,
      payload: task.payload,
      priority: task.priority,
      attempt: task.attempt,
      maxAttempts: task.maxAttempts,
      timeoutMs: task.timeoutMs,
      backoff: task.backoff ?? defaultBackoff,
      idempotencyKey: task.idempotencyKey,
      traceParent: task.traceParent,
      token: task.token,
      leaseUntil,
    }));
    this.#announced.claimed(queue, tasks);
    this.#announce(queue, outcomes, acknowledged);
    if (answer.out_wake) await this.#wake([queue]);
    return { acknowledged, tasks, nextDueAt: answer.out_next_due === null ? null : Number(answer.out_next_due) };
  }

  async extendLeases(queue: string, leases: readonly LeaseRef[], leaseMs: number): Promise<boolean[]> {
    if (leases.length === 0) return [];
    const { rows } = await this.#pool.query<{ held: boolean[] }>(extendLeases, [queue, leasesJson(leases), Math.max(1, Math.floor(leaseMs))]);
    return rows[0]?.held ?? leases.map(() => false);
  }

  async release(queue: string, leases: readonly LeaseRef[]): Promise<boolean[]> {
    if (leases.length === 0) return [];
    this.#announced.released(queue, leases);
    const { rows } = await this.#pool.query<{ out_released: boolean[] }>(releaseLeases, [queue, leasesJson(leases)]);
    const released = rows[0]?.out_released ?? leases.map(() => false);
    if (released.some(Boolean)) await this.#wake([queue]);
    return released;
  }

  async getTask(queue: string, id: string): Promise<Task | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.#pool.query<TaskRow>(selectTask, [queue, id]);
    return rows[0] && taskOf(rows[0]);
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    return this.#taskAction('engine_cancel', queue, id);
  }

  async promote(queue: string, id: string): Promise<boolean> {
    const promoted = await this.#taskAction('engine_promote', queue, id);
    if (promoted) await this.#wake([queue]);
    return promoted;
  }

  async retry(queue: string, id: string): Promise<boolean> {
    const queued = await this.#taskAction('engine_retry', queue, id);
    if (queued) await this.#wake([queue]);
    return queued;
  }

  /** Pages by id: the cursor is the last id of a full page. */
  async scanTasks(queue: string, { cursor, count }: { cursor: string | null; count: number }): Promise<{ tasks: Task[]; cursor: string | null }> {
    await this.#definition(queue);
    const limit = Math.max(1, Math.min(Math.floor(count), maxClaimBatch));
    const { rows } = await this.#pool.query<TaskRow>(scanTasks, [queue, cursor, limit]);
    const tasks = rows.map(taskOf);
    return { tasks, cursor: rows.length === limit ? rows[rows.length - 1]!.id : null };
  }

  async counts(queue: string): Promise<StateCounts> {
    const { rows } = await this.#pool.query<Record<string, number>>(sumCounts, [queue]);
    const sums = rows[0];
    if (!sums || sums.shards === 0) throw this.#unknownQueue(queue);
    return Object.fromEntries(taskStates.map((state) => [state, Number(sums[state] ?? 0)])) as StateCounts;
  }

  async recoverExpiredLeases(queue: string, max: number): Promise<number> {
    const limit = Math.max(1, Math.min(Math.floor(max), maxClaimBatch));
    const { rows } = await this.#pool.query<{ out_recovered: string; out_requeued: string }>(recoverLeases, [queue, limit]);
    const row = rows[0];
    if (row && Number(row.out_requeued) > 0) await this.#wake([queue]);
    return Number(row?.out_recovered ?? 0);
  }

  async takeFinished(queue: string, max: number): Promise<Task[]> {
    const { rows } = await this.#pool.query<TaskRow>(selectFinished, [queue, Math.max(1, Math.floor(max))]);
    return rows.map(taskOf);
  }

  /** Deletes archived tasks (only while still finished) and the queue's expired idempotency keys. */
  async forgetFinished(queue: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#pool.query(forgetFinished, [queue, ids.filter(isUuid)]);
  }

  async subscribe(queue: string, listener: () => void): Promise<() => Promise<void>> {
    return this.#wakeUps.subscribe(queue, listener);
  }

  async onFinished(listener: FinishedListener): Promise<() => Promise<void>> {
    return this.#wakeUps.onFinished(listener);
  }

  /** The commit sent its NOTIFY (engine_enqueue does); only this process's subscribers may need a direct call. */
  committed(queue: string): void {
    if (!this.#wakeUps.listening) this.#wakeUps.wakeLocal(queue);
  }

  /** Releases the LISTEN connection and timers; the pool stays open (it belongs to the caller). */
  async close(): Promise<void> {
    await this.#wakeUps.close();
  }

  /**
   * Wakes idle workers of the queues: a NOTIFY on its own (after the change committed), and the
   * subscribers of this process directly while notifications do not reach it (PGlite, or the
   * LISTEN connection down).
   */
  async #wake(queues: readonly string[]): Promise<void> {
    if (!this.#wakeUps.listening) for (const queue of queues) this.#wakeUps.wakeLocal(queue);
    if (await this.#isEmbedded().catch(() => false)) return;
    await this.#pool.query(notify, [wakeChannel, queues]).catch((error: unknown) => {
      this.#log?.warn({ err: error, queues }, 'could not send a wake-up; idle workers will find the tasks when they poll');
    });
  }

  /**
   * Announces the announced tasks that finished, or will be retried, with these outcomes: a NOTIFY on its own after the
   * acknowledgement committed (not awaited, so the worker's round trip is not longer), and the
   * listeners of this process directly while notifications do not reach it (PGlite, or the LISTEN
   * connection down).
   */
  #announce(queue: string, outcomes: readonly Outcome[], acknowledged: readonly Acknowledged[]): void {
    const finished = this.#announced.settled(queue, outcomes, acknowledged);
    if (finished.length === 0) return;
    if (!this.#wakeUps.listening) this.#wakeUps.finishedLocal(finished);
    void this.#isEmbedded()
      .then(async (embedded) => {
        if (!embedded) await this.#pool.query(notify, [finishedChannel, encodeFinishedInParts(queue, finished, notifyPayloadBytes)]);
      })
      .catch((error: unknown) => this.#log?.warn({ err: error, queue }, 'could not announce finished tasks; their listeners will find them when they look'));
  }

  /** PGlite answers `version()` with "… (PGlite …) on wasm32-unknown-emscripten …". */
  #isEmbedded(): Promise<boolean> {
    this.#embedded ??= this.#pool.query<{ version: string }>('select version()').then(
      ({ rows }) => /pglite|emscripten/i.test(rows[0]?.version ?? ''),
      (error: unknown) => {
        this.#embedded = undefined;
        throw error;
      },
    );
    return this.#embedded;
  }

  async #setPaused(queue: string, paused: boolean): Promise<void> {
    const { rowCount } = await this.#pool.query(setPaused, [queue, paused]);
    if (!rowCount) throw this.#unknownQueue(queue);
  }

  async #taskAction(fn: 'engine_cancel' | 'engine_promote' | 'engine_retry', queue: string, id: string): Promise<boolean> {
    const { rows } = isUuid(id) ? await this.#pool.query<{ answer: number }>(`select ${fn}($1, $2) as answer`, [queue, id]) : { rows: [{ answer: -2 }] };
    const answer = rows[0]!.answer;
    if (answer === -2) throw new EngineError(taskErrorCodes.notFound, `task '${id}' does not exist in this queue`, 'id');
    return answer === 1;
  }

  /** The queue's definition for enqueue checks, cached for a few seconds. */
  async #definition(queue: string): Promise<QueueDefinition> {
    const cached = this.#definitions.get(queue);
    if (cached && Date.now() - cached.fetchedAt < definitionCacheMs) return cached.definition;
    const definition = await this.getQueue(queue);
    if (!definition) throw this.#unknownQueue(queue);
    this.#definitions.set(queue, { definition, fetchedAt: Date.now() });
    return definition;
  }

  #unknownQueue(queue: string): EngineError {
    this.#definitions.delete(queue);
    return unknownQueue(queue);
  }

  #mapped(error: unknown, queue: string): unknown {
    const mapped = engineErrorOf(error, queue);
    if (mapped !== error) this.#definitions.delete(queue);
    return mapped;
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}

/** Outcomes as the JSON `engine_settle_and_claim` reads (see migration 0006). */
function outcomesJson(outcomes: readonly Outcome[]): string {
  return JSON.stringify(
    outcomes.map((outcome, index) => {
      const lines = outcome.logs && outcome.logs.lines.length > 0 ? outcome.logs.lines : null;
      return outcome.status === 'succeeded'
        ? { n: index + 1, id: outcome.id, t: outcome.token, ok: true, v: outcome.result ?? null, d: 0, r: false, l: lines }
        : {
            n: index + 1,
            id: outcome.id,
            t: outcome.token,
            ok: false,
            v: outcome.error,
            d: Math.max(0, Math.floor(outcome.retryDelayMs)),
            r: outcome.retryable !== false,
            l: lines,
          };
    }),
  );
}

function leasesJson(leases: readonly LeaseRef[]): string {
  return JSON.stringify(leases.map((lease, index) => ({ n: index + 1, id: lease.id, t: lease.token })));
}

interface SettleAnswer {
  out_acknowledged: Acknowledged['status'][] | null;
  out_tasks:
    | {
        id: string;
        type: string;
        payload: unknown;
        priority: number;
        attempt: number;
        maxAttempts: number;
        timeoutMs: number;
        backoff: ClaimedTask['backoff'] | null;
        idempotencyKey: string | null;
        traceParent: string | null;
        token: number;
      }[]
    | null;
  out_lease_until: string;
  out_next_due: string | null;
  out_wake: boolean;
}

const upsertQueue = `
with queue as (
  insert into engine_queues (name, definition, concurrency, rate_max, rate_interval_ms, deduplication_window_ms)
  values ($1, $2, $3, $4, $5, $6)
  on conflict (name) do update set definition = excluded.definition, concurrency = excluded.concurrency,
    rate_max = excluded.rate_max, rate_interval_ms = excluded.rate_interval_ms,
    deduplication_window_ms = excluded.deduplication_window_ms
  returning name
)
insert into engine_counts (queue, shard)
select queue.name, shard from queue, generate_series(0, 15) as shard
on conflict do nothing`;

const selectQueues = `select definition, paused from engine_queues order by name`;

const deleteQueue = `
with tasks as (delete from engine_tasks where queue = $1),
  keys as (delete from engine_idempotency_keys where queue = $1),
  counts as (delete from engine_counts where queue = $1)
delete from engine_queues where name = $1`;

const setPaused = `update engine_queues set paused = $2 where name = $1`;

const settleAndClaim = `
select out_acknowledged, out_tasks, out_lease_until, out_next_due, out_wake
from engine_settle_and_claim($1, $2, $3, $4, $5::json)`;

const extendLeases = `
with clock as (select engine_now() as now),
  o as (select * from json_to_recordset($2::json) as x(n integer, id uuid, t bigint)),
  extended as (
    update engine_tasks t set lease_until = clock.now + $3
    from o, clock
    where t.id = o.id and t.queue = $1 and t.state = 'active' and t.lease_token = o.t and t.lease_until >= clock.now
    returning o.n
  )
select array_agg(e.n is not null order by o.n) as held from o left join extended e on e.n = o.n`;

const releaseLeases = `select out_released from engine_release($1, $2::json)`;

const recoverLeases = `select out_recovered, out_requeued from engine_recover($1, $2, engine_now(), true)`;

const selectTask = `select ${taskColumns} from engine_tasks where queue = $1 and id = $2`;

const scanTasks = `
select ${taskColumns} from engine_tasks
where queue = $1 and ($2::uuid is null or id > $2::uuid)
order by id limit $3`;

const sumCounts = `
select count(*)::int as shards, sum(scheduled)::float8 as scheduled, sum(queued)::float8 as queued,
  sum(active)::float8 as active, sum(failed)::float8 as failed, sum(succeeded)::float8 as succeeded,
  sum(dead)::float8 as dead, sum(cancelled)::float8 as cancelled
from engine_counts where queue = $1`;

const selectFinished = `
select ${taskColumns} from engine_tasks
where queue = $1 and state in ('succeeded', 'dead', 'cancelled')
order by seq limit $2`;

const forgetFinished = `
with expired_keys as (
  delete from engine_idempotency_keys
  where (queue, key) in (
    select queue, key from engine_idempotency_keys where queue = $1 and expires_at < engine_now() limit 1000
  )
)
delete from engine_tasks where queue = $1 and id = any($2::uuid[]) and state in ('succeeded', 'dead', 'cancelled')`;

const notify = `select pg_notify($1, payload) from unnest($2::text[]) as payload`;

/** Largest announcement per NOTIFY (Postgres refuses payloads of 8,000 bytes or more). */
const notifyPayloadBytes = 7_900;
