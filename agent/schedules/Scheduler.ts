import type { Logger } from 'pino';
import { scheduleTickKey } from '../../shared/schedule.js';
import type { TaskInput } from '../../shared/task.js';
import type { Engine } from '../engine/Engine.js';
import { EngineError } from '../engine/EngineError.js';
import { CronSchedule } from './CronSchedule.js';
import { planTicks, type TickPlan } from './planTicks.js';
import type { ScheduleStore, StoredSchedule } from './ScheduleStore.js';

export interface SchedulerOptions {
  store: ScheduleStore;
  engine: Engine;
  /** Asked before every round and between schedules; only the cluster's leader enqueues ticks. */
  isLeader: () => boolean;
  log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /**
   * Longest sleep between rounds, in milliseconds, so schedules other agents create or change are
   * seen. The scheduler sleeps less when a tick is due sooner. Default 1000.
   */
  pollMs?: number;
  /** A tick at most this late is enqueued as usual; an older one is missed (see docs/schedules.md). Default one minute. */
  misfireGraceMs?: number;
  /** Most ticks one schedule enqueues per round. Default 100. */
  maxTicksPerRound?: number;
  /** Most due schedules taken per round. Default 100. */
  batchSize?: number;
  /** The clock, in epoch milliseconds. Default `Date.now`. Tests inject one. */
  now?: () => number;
}

/** What one round did, for tests and logs. */
export interface RoundOutcome {
  /** Tasks the engine made. */
  enqueued: number;
  /** Enqueues the engine answered with an existing task (another leader had enqueued the tick). */
  deduplicated: number;
  /** Schedules another scheduler had moved on first. */
  lost: number;
  /** Schedules whose tick failed (logged); they are tried again next round. */
  failed: number;
}

/**
 * Enqueues the task of every due cron tick, on the leader only, exactly once per tick.
 *
 * Each round: take the enabled schedules whose next tick is due, plan their ticks (`planTicks`:
 * on-time ticks, missed ones by the schedule's policy), enqueue each tick's task with the
 * idempotency key `schedule:<id>:<tick time>`, then move the schedule on with a conditional update
 * that only applies if nobody moved it since it was read. Enqueue first, then advance: a crash
 * between the two enqueues the same keys again, which the engine deduplicates; two leaders at once
 * (an overlap during failover) enqueue the same keys and one of them wins the update. So a tick
 * makes one task, never zero and never two, within the queue's deduplication window.
 *
 * It sleeps until the earliest next tick, at most `pollMs`, one round at a time. A failure is
 * logged and retried next round, never thrown out of the timer.
 */
export class Scheduler {
  private readonly store: ScheduleStore;
  private readonly engine: Engine;
  private readonly isLeader: () => boolean;
  private readonly log: SchedulerOptions['log'];
  private readonly pollMs: number;
  private readonly misfireGraceMs: number;
  private readonly maxTicksPerRound: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private started = false;
  private closed = false;

  constructor(options: SchedulerOptions) {
    this.store = options.store;
    this.engine = options.engine;
    this.isLeader = options.isLeader;
    this.log = options.log;
    this.pollMs = options.pollMs ?? 1_000;
    this.misfireGraceMs = options.misfireGraceMs ?? 60_000;
    this.maxTicksPerRound = Math.max(2, options.maxTicksPerRound ?? 100);
    this.batchSize = options.batchSize ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Starts the rounds: the first runs at once. Calling it again does nothing. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops the rounds and waits for a round in progress to end. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /**
   * One round now, whether or not this agent leads; errors of single schedules are logged. For
   * tests; the timer does the same on the leader.
   */
  async runOnce(): Promise<RoundOutcome> {
    return this.runRound(() => !this.closed);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      let next = this.pollMs;
      this.round = (async () => {
        if (!this.isLeader()) return;
        const { failed } = await this.runRound(() => !this.closed && this.isLeader());
        // After a failure the due schedule is still due: wait a full poll, do not spin on it.
        if (failed > 0) return;
        const earliest = await this.store.earliestNextTick();
        if (earliest !== null) next = Math.min(this.pollMs, Math.max(0, earliest - this.now()));
      })()
        .catch((error: unknown) => this.log.error({ err: error }, 'scheduler round failed; retrying next round'))
        .finally(() => {
          this.round = undefined;
          this.schedule(next);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async runRound(proceed: () => boolean): Promise<RoundOutcome> {
    const outcome: RoundOutcome = { enqueued: 0, deduplicated: 0, lost: 0, failed: 0 };
    if (!proceed()) return outcome;
    for (const schedule of await this.store.due(this.now(), this.batchSize)) {
      if (!proceed()) break;
      try {
        await this.tick(schedule, outcome);
      } catch (error) {
        outcome.failed += 1;
        this.log.error({ err: error, schedule: schedule.name }, 'schedule tick failed; retrying next round');
      }
    }
    return outcome;
  }

  /** Enqueues the due ticks of one schedule and moves it on. */
  private async tick(schedule: StoredSchedule, outcome: RoundOutcome): Promise<void> {
    const now = this.now();
    let cron: CronSchedule;
    try {
      cron = CronSchedule.parse(schedule.cron, schedule.timeZone);
    } catch (error) {
      // Only an upgrade of croner that reads a stored pattern differently gets here: park the
      // schedule (no next tick) rather than log this every round. Editing it arms it again.
      this.log.error({ err: error, schedule: schedule.name, cron: schedule.cron, timeZone: schedule.timeZone }, 'schedule pattern no longer parses; it is parked until edited');
      await this.store.advance(schedule, { lastTickAt: schedule.lastTickAt, nextTickAt: null });
      return;
    }
    const plan = planTicks(schedule, cron, now, { graceMs: this.misfireGraceMs, maxTicks: this.maxTicksPerRound });
    if (plan.missedFrom !== null) {
      this.log.warn(
        { schedule: schedule.name, missedFrom: new Date(plan.missedFrom).toISOString(), policy: schedule.missedTickPolicy },
        schedule.missedTickPolicy === 'skip' ? 'schedule missed ticks; skipping them' : 'schedule missed ticks; enqueueing one task for them',
      );
    }
    const enqueued = await this.enqueue(schedule, plan, outcome);
    // Refused ticks were not enqueued: the last tick stays the last one that was.
    const moved = { lastTickAt: enqueued ? plan.lastTickAt : schedule.lastTickAt, nextTickAt: plan.nextTickAt };
    if (await this.store.advance(schedule, moved)) return;
    outcome.lost += 1;
    this.log.debug({ schedule: schedule.name }, 'schedule was moved on by another scheduler or changed meanwhile');
  }

  /** Enqueues the planned ticks; answers false when the queue refused them (logged). */
  private async enqueue(schedule: StoredSchedule, plan: TickPlan, outcome: RoundOutcome): Promise<boolean> {
    if (plan.ticks.length === 0) return true;
    const tasks: TaskInput[] = plan.ticks.map((tick) => ({ ...schedule.task, idempotencyKey: scheduleTickKey(schedule.id, tick.at) }));
    const ticks = plan.ticks.map((tick) => new Date(tick.at).toISOString());
    try {
      const enqueued = await this.engine.enqueueBulk(schedule.queue, tasks);
      const made = enqueued.filter((task) => !task.deduplicated).length;
      outcome.enqueued += made;
      outcome.deduplicated += enqueued.length - made;
      this.log.debug({ schedule: schedule.name, queue: schedule.queue, ticks, tasks: enqueued.map((task) => task.id) }, 'schedule ticks enqueued');
      return true;
    } catch (error) {
      // A refusal (no such queue any more, a template the queue no longer accepts) will not pass
      // on a retry: these ticks are dropped and the schedule moves on. Anything else (Redis
      // unreachable) is thrown, and the same ticks are tried again next round under the same keys.
      if (!(error instanceof EngineError)) throw error;
      this.log.error({ err: error, schedule: schedule.name, queue: schedule.queue, ticks }, 'schedule ticks refused by the queue; dropped');
      return false;
    }
  }
}
