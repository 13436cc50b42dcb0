import type pg from 'pg';
import type { MetricResolution } from '../../shared/api/schemas/metrics.js';
import { LogHistogram } from './LogHistogram.js';
import type { QueuePoint, SecondPoint } from './QueuePoint.js';

/**
 * The metrics history in Postgres `metric_points` (migration 0004): second points with their
 * histograms, minute points with percentiles only. Writes come from the leader's recorder, one
 * multi-row statement per second for every queue; reads come from any agent's API.
 */
export class MetricStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Writes second points, all in one statement; a point already there (same queue and second) is kept. */
  async insertSeconds(points: readonly SecondPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.pool.query(insertPoints + ' on conflict (queue, resolution, at) do nothing', columnsOf('second', points));
  }

  /** Writes minute points, replacing any of the same queue and minute (a roll-up may run again). */
  async upsertMinutes(points: readonly QueuePoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.pool.query(insertPoints + upsertTail, columnsOf('minute', points));
  }

  /** Points of one queue at `resolution` with `since ≤ at ≤ until`, oldest first. */
  async points(queue: string, resolution: MetricResolution, since: number, until: number): Promise<QueuePoint[]> {
    const { rows } = await this.pool.query<PointRow>(selectRange, [queue, resolution, since, until]);
    return rows.map(toPoint);
  }

  /** Second points of one queue with `from ≤ at < to`, with their histograms. */
  async seconds(queue: string, from: number, to: number): Promise<SecondPoint[]> {
    const { rows } = await this.pool.query<PointRow>(selectSeconds, [queue, from, to]);
    return rows.map((row) => ({ ...toPoint(row), wait: LogHistogram.fromPairs(row.wait_histogram), run: LogHistogram.fromPairs(row.run_histogram) }));
  }

  /** Queues with at least one second point with `from ≤ at < to`. */
  async queuesWithSeconds(from: number, to: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ queue: string }>(selectQueuesWithSeconds, [from, to]);
    return rows.map((row) => row.queue);
  }

  /** The start of the latest minute point of any queue, or null. */
  async latestMinute(): Promise<number | null> {
    const { rows } = await this.pool.query<{ at: string | null }>(selectLatestMinute);
    return rows[0]?.at == null ? null : Number(rows[0].at);
  }

  /** The latest second point at or after `since` of each of `queues` that has one. */
  async latestSeconds(queues: readonly string[], since: number): Promise<Map<string, QueuePoint>> {
    const { rows } = await this.pool.query<PointRow>(selectLatestSeconds, [queues, since]);
    return new Map(rows.map((row) => [row.queue, toPoint(row)]));
  }

  /** Deletes points older than the cutoffs of each resolution; answers how many went. */
  async prune(cutoffs: Readonly<Record<MetricResolution, number>>): Promise<number> {
    const { rowCount } = await this.pool.query(deleteOlderThan, [cutoffs.second, cutoffs.minute]);
    return rowCount ?? 0;
  }
}

/** Every column of a point, as one array parameter per column (`unnest` turns them into rows). */
function columnsOf(resolution: MetricResolution, points: ReadonlyArray<QueuePoint & Partial<Pick<SecondPoint, 'wait' | 'run'>>>): unknown[] {
  const column = <T>(pick: (point: (typeof points)[number]) => T) => points.map(pick);
  return [
    column((point) => point.queue),
    resolution,
    column((point) => point.at),
    column((point) => point.enqueued),
    column((point) => point.succeeded),
    column((point) => point.failed),
    column((point) => point.dead),
    column((point) => point.cancelled),
    column((point) => point.depth),
    column((point) => point.depthMax),
    column((point) => point.active),
    column((point) => point.measured),
    column((point) => point.waitP50),
    column((point) => point.waitP95),
    column((point) => point.waitP99),
    column((point) => point.runP50),
    column((point) => point.runP95),
    column((point) => point.runP99),
    // A two-dimensional array cannot be unnested one row at a time, so histograms travel as text.
    column((point) => (point.wait ? `{${point.wait.toPairs().join(',')}}` : null)),
    column((point) => (point.run ? `{${point.run.toPairs().join(',')}}` : null)),
  ];
}

interface PointRow {
  queue: string;
  at: string;
  enqueued: string;
  succeeded: string;
  failed: string;
  dead: string;
  cancelled: string;
  depth: string;
  depth_max: string;
  active: string;
  measured: string;
  wait_p50: number | null;
  wait_p95: number | null;
  wait_p99: number | null;
  run_p50: number | null;
  run_p95: number | null;
  run_p99: number | null;
  wait_histogram?: number[] | null;
  run_histogram?: number[] | null;
}

function toPoint(row: PointRow): QueuePoint {
  return {
    queue: row.queue,
    at: Number(row.at),
    enqueued: Number(row.enqueued),
    succeeded: Number(row.succeeded),
    failed: Number(row.failed),
    dead: Number(row.dead),
    cancelled: Number(row.cancelled),
    depth: Number(row.depth),
    depthMax: Number(row.depth_max),
    active: Number(row.active),
    measured: Number(row.measured),
    waitP50: row.wait_p50,
    waitP95: row.wait_p95,
    waitP99: row.wait_p99,
    runP50: row.run_p50,
    runP95: row.run_p95,
    runP99: row.run_p99,
  };
}

const pointColumns = `queue, at, enqueued, succeeded, failed, dead, cancelled, depth, depth_max, active, measured,
  wait_p50, wait_p95, wait_p99, run_p50, run_p95, run_p99`;

const insertPoints = `
insert into metric_points (queue, resolution, at, enqueued, succeeded, failed, dead, cancelled, depth, depth_max, active, measured,
  wait_p50, wait_p95, wait_p99, run_p50, run_p95, run_p99, wait_histogram, run_histogram)
select queue, $2, at, enqueued, succeeded, failed, dead, cancelled, depth, depth_max, active, measured,
  wait_p50, wait_p95, wait_p99, run_p50, run_p95, run_p99, wait_histogram::integer[], run_histogram::integer[]
from unnest($1::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[],
  $10::bigint[], $11::bigint[], $12::bigint[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], $17::float8[],
  $18::float8[], $19::text[], $20::text[])
  as point (queue, at, enqueued, succeeded, failed, dead, cancelled, depth, depth_max, active, measured,
    wait_p50, wait_p95, wait_p99, run_p50, run_p95, run_p99, wait_histogram, run_histogram)`;

const upsertTail = `
on conflict (queue, resolution, at) do update set
  enqueued = excluded.enqueued, succeeded = excluded.succeeded, failed = excluded.failed, dead = excluded.dead,
  cancelled = excluded.cancelled, depth = excluded.depth, depth_max = excluded.depth_max, active = excluded.active,
  measured = excluded.measured, wait_p50 = excluded.wait_p50, wait_p95 = excluded.wait_p95, wait_p99 = excluded.wait_p99,
  run_p50 = excluded.run_p50, run_p95 = excluded.run_p95, run_p99 = excluded.run_p99`;

const selectRange = `
select ${pointColumns} from metric_points
where queue = $1 and resolution = $2 and at >= $3 and at <= $4
order by at`;

const selectSeconds = `
select ${pointColumns}, wait_histogram, run_histogram from metric_points
where queue = $1 and resolution = 'second' and at >= $2 and at < $3
order by at`;

const selectQueuesWithSeconds = `
select distinct queue from metric_points
where resolution = 'second' and at >= $1 and at < $2`;

const selectLatestMinute = `select max(at) as at from metric_points where resolution = 'minute'`;

const selectLatestSeconds = `
select latest.* from unnest($1::text[]) as wanted (name)
cross join lateral (
  select ${pointColumns} from metric_points
  where queue = wanted.name and resolution = 'second' and at >= $2
  order by at desc
  limit 1
) as latest`;

const deleteOlderThan = `
delete from metric_points
where (resolution = 'second' and at < $1) or (resolution = 'minute' and at < $2)`;
