import type pg from 'pg';
import type { MissedTickPolicy, Schedule, ScheduleTaskTemplate } from '../../shared/schedule.js';

/** A schedule with the revision its row is at (it rises with every change through the API). */
export interface StoredSchedule extends Schedule {
  revision: number;
}

/** What an operator sets on a schedule, with the next tick the caller computed for it. */
export interface ScheduleFields {
  name: string;
  queue: string;
  cron: string;
  timeZone: string;
  task: ScheduleTaskTemplate;
  missedTickPolicy: MissedTickPolicy;
  enabled: boolean;
  nextTickAt: number | null;
}

/** Where the scheduler found a schedule, for the conditional update that moves it on. */
export type TickPosition = Pick<StoredSchedule, 'id' | 'revision' | 'lastTickAt' | 'nextTickAt'>;

/**
 * Cron schedules in Postgres (`schedules` table), the one place they live: every agent reads them
 * from here, and the leader's scheduler moves each on with `advance`, a conditional update that
 * only one of two overlapping leaders can win. The store checks nothing about patterns, zones or
 * queues (the API does); it keeps names unique.
 */
export class ScheduleStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates a schedule; answers undefined when the name is taken. */
  async create(fields: ScheduleFields): Promise<StoredSchedule | undefined> {
    const { rows } = await this.pool.query<ScheduleRow>(insertSchedule, valuesOf(fields));
    return rows[0] && scheduleOf(rows[0]);
  }

  async get(id: string): Promise<StoredSchedule | undefined> {
    const { rows } = await this.pool.query<ScheduleRow>(selectSchedule, [id]);
    return rows[0] && scheduleOf(rows[0]);
  }

  async getByName(name: string): Promise<StoredSchedule | undefined> {
    const { rows } = await this.pool.query<ScheduleRow>(selectScheduleByName, [name]);
    return rows[0] && scheduleOf(rows[0]);
  }

  /** Every schedule, by name. */
  async list(): Promise<StoredSchedule[]> {
    const { rows } = await this.pool.query<ScheduleRow>(selectSchedules);
    return rows.map(scheduleOf);
  }

  /**
   * Replaces the fields of the schedule if it is still at `revision`, raising the revision.
   * `lastTickAt` is kept. Answers `changed` when the schedule is gone or was changed since it was
   * read, and `name-taken` when another schedule has the new name.
   */
  async update(id: string, revision: number, fields: ScheduleFields): Promise<StoredSchedule | 'changed' | 'name-taken'> {
    try {
      const { rows } = await this.pool.query<ScheduleRow>(updateSchedule, [id, revision, ...valuesOf(fields)]);
      return rows[0] ? scheduleOf(rows[0]) : 'changed';
    } catch (error) {
      if (isUniqueViolation(error)) return 'name-taken';
      throw error;
    }
  }

  /** Deletes the schedule; answers it as it was, or undefined when there was none. */
  async delete(id: string): Promise<StoredSchedule | undefined> {
    const { rows } = await this.pool.query<ScheduleRow>(deleteSchedule, [id]);
    return rows[0] && scheduleOf(rows[0]);
  }

  /** Enabled schedules whose next tick is at or before `now`, the most overdue first. */
  async due(now: number, limit: number): Promise<StoredSchedule[]> {
    const { rows } = await this.pool.query<ScheduleRow>(selectDue, [new Date(now), limit]);
    return rows.map(scheduleOf);
  }

  /** The earliest next tick of any enabled schedule, or null. */
  async earliestNextTick(): Promise<number | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(selectEarliestNextTick);
    return rows[0]?.at?.getTime() ?? null;
  }

  /**
   * Moves the schedule on to `to`, only if it is still exactly where the caller found it (same
   * revision, last and next tick). Answers whether this call moved it: of two schedulers that
   * read the same position, one wins and the other answers false.
   */
  async advance(from: TickPosition, to: Pick<Schedule, 'lastTickAt' | 'nextTickAt'>): Promise<boolean> {
    const { rowCount } = await this.pool.query(advanceSchedule, [from.id, from.revision, dateOf(from.lastTickAt), dateOf(from.nextTickAt), dateOf(to.lastTickAt), dateOf(to.nextTickAt)]);
    return (rowCount ?? 0) > 0;
  }
}

interface ScheduleRow {
  id: string;
  name: string;
  queue: string;
  cron: string;
  time_zone: string;
  task: ScheduleTaskTemplate;
  missed_tick_policy: MissedTickPolicy;
  enabled: boolean;
  revision: number;
  created_at: Date;
  updated_at: Date;
  last_tick_at: Date | null;
  next_tick_at: Date | null;
}

function scheduleOf(row: ScheduleRow): StoredSchedule {
  return {
    id: row.id,
    name: row.name,
    queue: row.queue,
    cron: row.cron,
    timeZone: row.time_zone,
    task: row.task,
    missedTickPolicy: row.missed_tick_policy,
    enabled: row.enabled,
    revision: row.revision,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    lastTickAt: row.last_tick_at?.getTime() ?? null,
    nextTickAt: row.next_tick_at?.getTime() ?? null,
  };
}

function dateOf(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** `$1`…`$8` of insert and `$3`…`$10` of update, in one order. */
function valuesOf(fields: ScheduleFields): unknown[] {
  return [fields.name, fields.queue, fields.cron, fields.timeZone, JSON.stringify(fields.task), fields.missedTickPolicy, fields.enabled, dateOf(fields.nextTickAt)];
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

const columns = `id, name, queue, cron, time_zone, task, missed_tick_policy, enabled, revision, created_at, updated_at, last_tick_at, next_tick_at`;

const insertSchedule = `
insert into schedules (name, queue, cron, time_zone, task, missed_tick_policy, enabled, next_tick_at)
values ($1, $2, $3, $4, $5, $6, $7, $8)
on conflict (name) do nothing
returning ${columns}`;

const selectSchedule = `select ${columns} from schedules where id = $1`;

const selectScheduleByName = `select ${columns} from schedules where name = $1`;

const selectSchedules = `select ${columns} from schedules order by name`;

const updateSchedule = `
update schedules
set name = $3, queue = $4, cron = $5, time_zone = $6, task = $7, missed_tick_policy = $8, enabled = $9, next_tick_at = $10,
    revision = revision + 1, updated_at = now()
where id = $1 and revision = $2
returning ${columns}`;

const deleteSchedule = `delete from schedules where id = $1 returning ${columns}`;

const selectDue = `
select ${columns} from schedules
where enabled and next_tick_at <= $1
order by next_tick_at
limit $2`;

const selectEarliestNextTick = `select min(next_tick_at) as at from schedules where enabled`;

/**
 * Times are compared at millisecond precision, as they reach JavaScript: a time written with
 * microseconds by hand would otherwise never match, and the schedule would never move on.
 */
const advanceSchedule = `
update schedules
set last_tick_at = $5, next_tick_at = $6
where id = $1 and revision = $2
  and date_trunc('milliseconds', last_tick_at) is not distinct from $3
  and date_trunc('milliseconds', next_tick_at) is not distinct from $4`;
