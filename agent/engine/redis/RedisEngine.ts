import type { Cluster, Redis } from 'ioredis';
import { queueDefinition, type QueueDefinition } from '../../../shared/queue.js';
import type { AttemptRecord, StateCounts, Task, TaskInput, TaskState } from '../../../shared/task.js';
import { taskStates } from '../../../shared/task.js';
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
import { AnnouncedClaims, decodeFinished, tellListeners, type FinishedListener } from '../finishedTasks.js';
import { parseSpec, prepareTasks } from '../taskSpec.js';
import { masters } from './masters.js';
import { queueIndexKey, queueKeys, type QueueKeys } from './queueKeys.js';
import { CommandCode, defineCommands, type Commands } from './scripts.js';

export interface RedisEngineOptions {
  /** A connected ioredis client or cluster. The engine uses it but does not close it. */
  redis: Redis | Cluster;
  /** Prefix of every key. Default `sy`. */
  prefix?: string;
}

/** Most tasks one claim hands out (bounds the Lua stack and one reply). */
export const maxClaimBatch = 1_000;

/** Tasks per enqueue command; a bulk enqueue sends its slices together. */
const enqueueSlice = 250;

/** How long a cached queue definition is trusted for enqueue checks. */
const definitionCacheMs = 5_000;

/**
 * The Redis engine: every state change is one Lua command (see ./commands), every key of a
 * queue shares the hash tag `{q:<name>}`. Time comes from Redis' clock.
 */
export class RedisEngine implements Engine {
  readonly kind = 'redis' as const;
  private readonly redis: Redis | Cluster;
  private readonly prefix: string;
  private readonly commands: Commands;
  private readonly keysByQueue = new Map<string, QueueKeys>();
  private readonly definitions = new Map<string, { definition: QueueDefinition; fetchedAt: number }>();
  private subscriber: Redis | Cluster | undefined;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly announced = new AnnouncedClaims();
  private readonly finishedListeners = new Set<FinishedListener>();

  constructor({ redis, prefix = 'sy' }: RedisEngineOptions) {
    this.redis = redis;
    this.prefix = prefix;
    this.commands = defineCommands(redis);
  }

  private keys(queue: string): QueueKeys {
    let keys = this.keysByQueue.get(queue);
    if (!keys) {
      keys = queueKeys(this.prefix, queue);
      this.keysByQueue.set(queue, keys);
    }
    return keys;
  }

  private async run(name: keyof Commands, queue: string, ...args: (string | number)[]): Promise<unknown> {
    const keys = this.keys(queue);
    return this.commands[name](keys.keys, keys.base, ...args);
  }

  async defineQueue(definition: QueueDefinition): Promise<void> {
    checkQueueDefinition(definition);
    await this.run(
      'defineQueue',
      definition.name,
      JSON.stringify(definition),
      definition.concurrency ?? 0,
      definition.rateLimit?.max ?? 0,
      definition.rateLimit?.intervalMs ?? 0,
      definition.deduplicationWindowMs,
    );
    await this.redis.sadd(queueIndexKey(this.prefix), definition.name);
    this.definitions.set(definition.name, { definition, fetchedAt: Date.now() });
  }

  async getQueue(name: string): Promise<QueueDefinition | undefined> {
    const json = await this.redis.hget(this.keys(name).meta, 'definition');
    // Through queueDefinition(): a definition stored before a setting existed reads with its default.
    return json ? queueDefinition(JSON.parse(json) as QueueDefinition) : undefined;
  }

  async listQueues(): Promise<QueueDefinition[]> {
    const names = (await this.redis.smembers(queueIndexKey(this.prefix))).sort();
    const definitions = await Promise.all(names.map((name) => this.getQueue(name)));
    return definitions.filter((definition): definition is QueueDefinition => definition !== undefined);
  }

  async deleteQueue(name: string): Promise<void> {
    await this.redis.srem(queueIndexKey(this.prefix), name);
    this.definitions.delete(name);
    const pattern = this.keys(name).pattern;
    // SCAN walks one server's keys: on a cluster, every master is walked (the queue's slot is on
    // one of them, or on two while it migrates). The keys found share the queue's hash tag, so
    // one UNLINK of them stays in one slot.
    for (const server of await masters(this.redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
        cursor = next;
        if (keys.length > 0) await this.redis.unlink(...keys);
      } while (cursor !== '0');
    }
  }

  async pause(queue: string): Promise<void> {
    this.expectQueue(queue, await this.run('setPaused', queue, 1));
  }

  async resume(queue: string): Promise<void> {
    this.expectQueue(queue, await this.run('setPaused', queue, 0));
  }

  async isPaused(queue: string): Promise<boolean> {
    const paused = await this.redis.hget(this.keys(queue).meta, 'paused');
    if (paused === null) throw this.unknownQueue(queue);
    return paused === '1';
  }

  async enqueue(queue: string, task: TaskInput): Promise<Enqueued> {
    const [enqueued] = await this.enqueueBulk(queue, [task]);
    return enqueued!;
  }

  /**
   * Validates every task first (nothing is written when one is bad), then writes them in slices
   * of `enqueueSlice` tasks, all sent at once: Redis runs one slice while the next is still being
   * encoded, and the batch still costs one round trip. Each slice is atomic; a batch larger than
   * a slice is not (a connection lost half-way may leave the first slices written).
   */
  async enqueueBulk(queue: string, tasks: readonly TaskInput[]): Promise<Enqueued[]> {
    const prepared = prepareTasks(await this.definition(queue), tasks);
    const slices: Promise<unknown>[] = [];
    for (let start = 0; start < prepared.length; start += enqueueSlice) {
      const args: (string | number)[] = [];
      for (const task of prepared.slice(start, start + enqueueSlice)) {
        args.push(task.id, task.spec, task.priority, task.runAt, task.delayMs, task.maxAttempts, task.idempotencyKey);
      }
      slices.push(this.run('enqueue', queue, ...args));
    }
    const enqueued: Enqueued[] = [];
    for (const reply of await Promise.all(slices)) {
      const pairs = this.expectQueue(queue, reply) as (string | number)[];
      for (let index = 0; index < pairs.length; index += 2) {
        enqueued.push({ id: String(pairs[index]), deduplicated: pairs[index + 1] === 1 });
      }
    }
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
    const args: (string | number)[] = [request.workerId, max, Math.max(1, Math.floor(request.leaseMs)), outcomes.length];
    for (const outcome of outcomes) args.push(outcome.id);
    for (const outcome of outcomes) {
      if (outcome.status === 'succeeded') {
        args.push(outcome.token, 'succeeded', JSON.stringify(outcome.result ?? null) ?? 'null', 0, 0);
      } else {
        args.push(
          outcome.token,
          'failed',
          JSON.stringify(outcome.error),
          Math.max(0, Math.floor(outcome.retryDelayMs)),
          outcome.retryable === false ? 0 : 1,
        );
      }
    }
    const announced = this.announced.announcedOf(queue, outcomes);
    if (announced.length > 0) {
      args.push(this.finishedChannel, queue, announced.length);
      for (const { position, key, attempt } of announced) args.push(position, key, attempt);
    }
    const [statuses, flat, leaseUntil, nextDue] = (await this.run('settleAndClaim', queue, ...args)) as [
      Acknowledged['status'][],
      (string | number)[],
      number,
      number,
    ];
    const acknowledged = statuses.map((status, index) => ({ id: outcomes[index]!.id, status }));
    // The script published the announced tasks that finished or will be retried; forget them here.
    if (announced.length > 0) this.announced.forget(queue, outcomes);
    await this.keepLogs(queue, outcomes, statuses);
    const tasks: ClaimedTask[] = [];
    for (let index = 0; index < flat.length; index += 6) {
      const spec = parseSpec(flat[index + 1] as string);
      tasks.push({
        id: flat[index] as string,
        queue,
        type: spec.type,
        payload: spec.payload,
        priority: Number(flat[index + 2]),
        attempt: Number(flat[index + 3]),
        maxAttempts: Number(flat[index + 4]),
        timeoutMs: spec.timeoutMs,
        backoff: spec.backoff,
        idempotencyKey: spec.idempotencyKey,
        traceParent: spec.traceParent,
        token: Number(flat[index + 5]),
        leaseUntil,
      });
    }
    this.announced.claimed(queue, tasks);
    return { acknowledged, tasks, nextDueAt: nextDue < 0 ? null : nextDue };
  }

  private get finishedChannel(): string {
    return `${this.prefix}:finished`;
  }

  async extendLeases(queue: string, leases: readonly LeaseRef[], leaseMs: number): Promise<boolean[]> {
    if (leases.length === 0) return [];
    const reply = (await this.run('extendLeases', queue, Math.max(1, Math.floor(leaseMs)), ...leaseArgs(leases))) as number[];
    return reply.map((held) => held === 1);
  }

  async release(queue: string, leases: readonly LeaseRef[]): Promise<boolean[]> {
    if (leases.length === 0) return [];
    this.announced.released(queue, leases);
    const reply = (await this.run('release', queue, ...leaseArgs(leases))) as number[];
    return reply.map((released) => released === 1);
  }

  async getTask(queue: string, id: string): Promise<Task | undefined> {
    const keys = this.keys(queue);
    const replies = await this.redis
      .pipeline()
      .hget(keys.specs, id)
      .hget(keys.records, id)
      .hget(keys.results, id)
      .hget(keys.errors, id)
      .hget(keys.histories, id)
      .exec();
    const [spec, record, result, error, history] = (replies ?? []).map(([failure, value]) => {
      if (failure) throw failure;
      return value as string | null;
    });
    if (!spec || !record) return undefined;
    const task = toTask(queue, id, { spec, record, result: result ?? null, error: error ?? null, history: history ?? null });
    return (await this.withLogs(queue, [task]))[0];
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    return this.expectTask(id, await this.run('cancel', queue, id));
  }

  async promote(queue: string, id: string): Promise<boolean> {
    return this.expectTask(id, await this.run('promote', queue, id));
  }

  async retry(queue: string, id: string): Promise<boolean> {
    return this.expectTask(id, await this.run('retry', queue, id));
  }

  async scanTasks(queue: string, { cursor, count }: { cursor: string | null; count: number }): Promise<{ tasks: Task[]; cursor: string | null }> {
    const keys = this.keys(queue);
    await this.definition(queue);
    const [next, pairs] = await this.redis.hscan(keys.records, cursor ?? '0', 'COUNT', Math.max(1, Math.min(Math.floor(count), maxClaimBatch)));
    const ids = pairs.filter((_, index) => index % 2 === 0);
    const tasks: Task[] = [];
    if (ids.length > 0) {
      const replies = await this.redis
        .pipeline()
        .hmget(keys.specs, ...ids)
        .hmget(keys.records, ...ids)
        .hmget(keys.results, ...ids)
        .hmget(keys.errors, ...ids)
        .hmget(keys.histories, ...ids)
        .exec();
      const [specs, records, results, errors, histories] = (replies ?? []).map(([failure, value]) => {
        if (failure) throw failure;
        return value as (string | null)[];
      });
      ids.forEach((id, index) => {
        const spec = specs![index];
        const record = records![index];
        // A task finished and forgotten between the scan and the read is skipped.
        if (spec && record) {
          tasks.push(toTask(queue, id, { spec, record, result: results![index] ?? null, error: errors![index] ?? null, history: histories![index] ?? null }));
        }
      });
    }
    return { tasks, cursor: next === '0' ? null : next };
  }

  async counts(queue: string): Promise<StateCounts> {
    const stored = await this.redis.hgetall(this.keys(queue).counts);
    if (stored.queued === undefined) throw this.unknownQueue(queue);
    return Object.fromEntries(taskStates.map((state) => [state, Number(stored[state] ?? 0)])) as StateCounts;
  }

  async recoverExpiredLeases(queue: string, max: number): Promise<number> {
    return Number(await this.run('recover', queue, Math.max(1, Math.min(Math.floor(max), maxClaimBatch))));
  }

  async takeFinished(queue: string, max: number): Promise<Task[]> {
    const [ids, specs, records, results, errors, histories] = (await this.run('takeFinished', queue, Math.max(1, Math.floor(max)))) as (
      | string
      | null
    )[][];
    const tasks = ids!.map((id, index) =>
      toTask(queue, id as string, {
        spec: specs![index] as string,
        record: records![index] as string,
        result: results![index] ?? null,
        error: errors![index] ?? null,
        history: histories![index] ?? null,
      }),
    );
    return this.withLogs(queue, tasks);
  }

  /**
   * Keeps the lines handlers logged with their attempts (`<base>logs`, field `<task id>#<attempt>`),
   * for outcomes that were applied. Only a batch with logs pays this second round trip.
   */
  private async keepLogs(queue: string, outcomes: readonly Outcome[], statuses: readonly Acknowledged['status'][]): Promise<void> {
    const entries: string[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.logs && outcome.logs.lines.length > 0 && statuses[index] !== 'stale') {
        entries.push(`${outcome.id}#${outcome.logs.attempt}`, JSON.stringify(outcome.logs.lines));
      }
    });
    if (entries.length > 0) await this.redis.hset(this.keys(queue).logs, ...entries);
  }

  /** The tasks with each attempt's logged lines added to its history entry. */
  private async withLogs(queue: string, tasks: Task[]): Promise<Task[]> {
    const fields = tasks.flatMap((task) => task.history.map((attempt) => `${task.id}#${attempt.attempt}`));
    if (fields.length === 0) return tasks;
    const stored = await this.redis.hmget(this.keys(queue).logs, ...fields);
    let index = 0;
    for (const task of tasks) {
      for (const attempt of task.history) {
        const lines = stored[index++];
        if (lines) attempt.logs = JSON.parse(lines) as string[];
      }
    }
    return tasks;
  }

  async forgetFinished(queue: string, ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += maxClaimBatch) {
      await this.run('forgetFinished', queue, ...ids.slice(start, start + maxClaimBatch));
    }
  }

  async subscribe(queue: string, listener: () => void): Promise<() => Promise<void>> {
    const channel = this.keys(queue).wakeChannel;
    const subscriber = this.subscriberClient();
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
      await subscriber.subscribe(channel);
    }
    listeners.add(listener);
    return async () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(channel) === listeners) {
        this.listeners.delete(channel);
        await this.subscriber?.unsubscribe(channel);
      }
    };
  }

  /** Nothing to do: a Redis enqueue publishes its own wake-up. */
  committed(): void {}

  async onFinished(listener: FinishedListener): Promise<() => Promise<void>> {
    const subscriber = this.subscriberClient();
    const first = this.finishedListeners.size === 0;
    this.finishedListeners.add(listener);
    if (first) await subscriber.subscribe(this.finishedChannel);
    return async () => {
      this.finishedListeners.delete(listener);
      if (this.finishedListeners.size === 0) await this.subscriber?.unsubscribe(this.finishedChannel);
    };
  }

  /** The connection every subscription shares (ioredis subscribes it again after a reconnect). */
  private subscriberClient(): Redis | Cluster {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate();
      this.subscriber.on('message', (from: string, message: string) => {
        if (from === this.finishedChannel) {
          tellListeners(this.finishedListeners, decodeFinished(message));
          return;
        }
        for (const wake of this.listeners.get(from) ?? []) wake();
      });
    }
    return this.subscriber;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.finishedListeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  /** The queue's definition for enqueue checks, cached for a few seconds. */
  private async definition(queue: string): Promise<QueueDefinition> {
    const cached = this.definitions.get(queue);
    if (cached && Date.now() - cached.fetchedAt < definitionCacheMs) return cached.definition;
    const definition = await this.getQueue(queue);
    if (!definition) throw this.unknownQueue(queue);
    this.definitions.set(queue, { definition, fetchedAt: Date.now() });
    return definition;
  }

  private unknownQueue(queue: string): EngineError {
    this.definitions.delete(queue);
    return new EngineError(taskErrorCodes.unknownQueue, `queue '${queue}' does not exist`, 'queue');
  }

  private expectQueue(queue: string, reply: unknown): unknown {
    if (reply === CommandCode.unknownQueue) throw this.unknownQueue(queue);
    return reply;
  }

  private expectTask(id: string, reply: unknown): boolean {
    if (reply === CommandCode.notFound) {
      throw new EngineError(taskErrorCodes.notFound, `task '${id}' does not exist in this queue`, 'id');
    }
    return reply === 1;
  }
}

function leaseArgs(leases: readonly LeaseRef[]): (string | number)[] {
  const args: (string | number)[] = [];
  for (const lease of leases) args.push(lease.id, lease.token);
  return args;
}

/** A task's stored columns (see commands/includes/queueKeys.lua); null where absent. */
interface StoredTask {
  spec: string;
  /** `state|attempts|max attempts|priority|created at|run at|started at|finished at|lease|worker`. */
  record: string;
  result: string | null;
  error: string | null;
  /** Ended attempts but successes: comma-joined JSON objects. */
  history: string | null;
}

function timeOrNull(text: string | undefined): number | null {
  return text === undefined || text === '' ? null : Number(text);
}

/** A task in the contract's shape. */
function toTask(queue: string, id: string, stored: StoredTask): Task {
  const spec = parseSpec(stored.spec);
  const [state, attempts, maxAttempts, priority, createdAt, runAt, startedAt, finishedAt, , ...worker] = stored.record.split('|');
  const workerId = worker.join('|');
  const history = JSON.parse(`[${stored.history ?? ''}]`) as AttemptRecord[];
  if (state === 'succeeded') {
    history.push({
      attempt: Number(attempts),
      workerId,
      startedAt: Number(startedAt),
      finishedAt: Number(finishedAt),
      outcome: 'succeeded',
      error: null,
    });
  }
  return {
    id,
    queue,
    type: spec.type,
    payload: spec.payload,
    state: state as TaskState,
    priority: Number(priority),
    runAt: Number(runAt || createdAt),
    attempts: Number(attempts),
    maxAttempts: Number(maxAttempts),
    timeoutMs: spec.timeoutMs,
    backoff: spec.backoff,
    idempotencyKey: spec.idempotencyKey,
    traceParent: spec.traceParent,
    createdAt: Number(createdAt),
    startedAt: timeOrNull(startedAt),
    finishedAt: timeOrNull(finishedAt),
    result: stored.result === null ? null : JSON.parse(stored.result),
    error: stored.error === null ? null : (JSON.parse(stored.error) as Task['error']),
    history,
  };
}
