import type { QueueDefinition, EngineKind } from '../../shared/queue.js';
import type { StateCounts, Task, TaskError, TaskInput } from '../../shared/task.js';
import type { FinishedListener } from './finishedTasks.js';

/**
 * The one interface every queue engine implements (Redis now, Postgres next). The worker runtime,
 * the archiver and the API see only this; the composition root picks the implementation.
 *
 * Rules every implementation keeps (the contract suite in test/agent/engine checks them):
 * - every method that changes state is atomic: it applies whole or not at all;
 * - a refused request throws `EngineError` and changes nothing;
 * - delivery is at-least-once: a claimed task runs again only when its lease ran out;
 * - an acknowledgement is applied only while the lease it names is current (fencing token and
 *   lease deadline); otherwise it is reported `stale` and ignored.
 */
export interface Engine {
  readonly kind: EngineKind;

  /** Creates a queue, or updates the settings of an existing one. */
  defineQueue(definition: QueueDefinition): Promise<void>;
  getQueue(name: string): Promise<QueueDefinition | undefined>;
  listQueues(): Promise<QueueDefinition[]>;
  /** Removes a queue and every task in it. */
  deleteQueue(name: string): Promise<void>;
  /** A paused queue hands out no tasks; enqueues still land. */
  pause(queue: string): Promise<void>;
  resume(queue: string): Promise<void>;
  isPaused(queue: string): Promise<boolean>;

  enqueue(queue: string, task: TaskInput): Promise<Enqueued>;
  /** One round trip for the whole batch; validated whole before anything is written. */
  enqueueBulk(queue: string, tasks: readonly TaskInput[]): Promise<Enqueued[]>;

  /** Claims up to `request.max` tasks under a lease. */
  claim(queue: string, request: ClaimRequest): Promise<Claimed>;
  /** Records the outcomes of attempts. */
  acknowledge(queue: string, outcomes: readonly Outcome[]): Promise<Acknowledged[]>;
  /** Acknowledges and claims the next batch in one round trip: the worker's hot path. */
  settleAndClaim(queue: string, outcomes: readonly Outcome[], request: ClaimRequest): Promise<SettledAndClaimed>;
  /** Extends the leases of tasks still being worked on; answers which leases are still held. */
  extendLeases(queue: string, leases: readonly LeaseRef[], leaseMs: number): Promise<boolean[]>;
  /** Gives tasks back without counting the attempt (graceful drain): claimable again at once. */
  release(queue: string, leases: readonly LeaseRef[]): Promise<boolean[]>;

  getTask(queue: string, id: string): Promise<Task | undefined>;
  /** Cancels a scheduled, queued, failed or active task. Answers false when it had finished. */
  cancel(queue: string, id: string): Promise<boolean>;
  /** Makes a scheduled or backing-off task queued now. Answers false when it was not waiting. */
  promote(queue: string, id: string): Promise<boolean>;
  /**
   * Runs a dead or cancelled task again under the same id, with a fresh set of attempts, while
   * the engine still holds it. Answers false when it is not dead or cancelled. A task the
   * archiver has already moved to history is not here any more (`getTask` answers undefined):
   * the API enqueues a copy of it instead.
   */
  retry(queue: string, id: string): Promise<boolean>;
  /**
   * Pages through every task the engine holds (live ones, and finished ones not yet archived),
   * in no set order. Start with `cursor: null`; the answer's cursor is null after the last page.
   * A page may hold fewer than `count` tasks, even none, before the end.
   */
  scanTasks(queue: string, request: { cursor: string | null; count: number }): Promise<{ tasks: Task[]; cursor: string | null }>;
  /** Counts per state in constant time. */
  counts(queue: string): Promise<StateCounts>;
  /** Makes tasks whose lease ran out claimable again (or dead after their last attempt). */
  recoverExpiredLeases(queue: string, max: number): Promise<number>;

  /** Finished tasks not yet archived, oldest first. */
  takeFinished(queue: string, max: number): Promise<Task[]>;
  /** Drops archived tasks from the engine. */
  forgetFinished(queue: string, ids: readonly string[]): Promise<void>;

  /**
   * Calls `listener` soon after tasks become claimable on the queue (an enqueue, a release, a
   * promote), so idle workers wake without polling. Resolves once listening; returns the stop.
   */
  subscribe(queue: string, listener: () => void): Promise<() => Promise<void>>;

  /**
   * Tells the engine that tasks were enqueued on the queue in a transaction the caller has just
   * committed (`enqueueInTransaction`), so it wakes idle workers the commit's own wake-up cannot
   * reach (on PGlite, or while the LISTEN connection is down: this process's subscribers). A
   * no-op where every enqueue wakes its workers itself.
   */
  committed(queue: string): void;

  /**
   * Calls `listener` soon after tasks whose idempotency key starts with `announcedKeyPrefix`
   * finish (succeeded, or dead after their last attempt) or fail an attempt that will be retried
   * (`retrying`), acknowledged by any worker of this engine in any process, with their outcome when
   * it is small. Best effort: an announcement can
   * be lost (see finishedTasks.ts), so a listener must also look for itself now and then.
   * Resolves once listening; returns the stop.
   */
  onFinished(listener: FinishedListener): Promise<() => Promise<void>>;

  close(): Promise<void>;
}

export interface Enqueued {
  id: string;
  /** True when an earlier task with the same idempotency key was returned instead. */
  deduplicated: boolean;
}

export interface ClaimRequest {
  /** Who claims: written into the attempt record. */
  workerId: string;
  /** At most this many tasks. */
  max: number;
  /** Lease length in milliseconds. */
  leaseMs: number;
}

/** A task handed to a worker, with what it needs to acknowledge it. */
export interface ClaimedTask {
  id: string;
  queue: string;
  type: string;
  payload: unknown;
  priority: number;
  /** This attempt's number, 1-based. */
  attempt: number;
  maxAttempts: number;
  timeoutMs: number;
  backoff: Task['backoff'];
  idempotencyKey: string | null;
  traceParent: string | null;
  /** The fencing token of this lease. */
  token: number;
  leaseUntil: number;
}

export interface Claimed {
  tasks: ClaimedTask[];
  /**
   * When nothing more is claimable now: the earliest time a scheduled task becomes due, or null.
   * A worker sleeps until then unless woken by an enqueue.
   */
  nextDueAt: number | null;
}

export interface LeaseRef {
  id: string;
  token: number;
}

/** Lines a handler wrote during an attempt, kept with that attempt in the task's history. */
export interface AttemptLogs {
  attempt: number;
  lines: readonly string[];
}

export type Outcome =
  | (LeaseRef & { status: 'succeeded'; result?: unknown; logs?: AttemptLogs })
  | (LeaseRef & {
      logs?: AttemptLogs;
      status: 'failed';
      error: TaskError;
      /** Milliseconds before the next attempt (see shared/retryDelay). */
      retryDelayMs: number;
      /** False for errors retrying cannot fix: the task goes dead at once. */
      retryable?: boolean;
    });

export interface Acknowledged {
  id: string;
  /** `stale`: the lease had expired or been taken over, and nothing was changed. */
  status: 'succeeded' | 'retrying' | 'dead' | 'stale';
}

export interface SettledAndClaimed extends Claimed {
  acknowledged: Acknowledged[];
}
