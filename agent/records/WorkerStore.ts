import type pg from 'pg';
import type { WorkerInfo } from '../worker/WorkerRegistry.js';

/**
 * The worker registry in Postgres (`workers` table). A worker upserts its row when it starts and
 * with every heartbeat, and marks it stopped when it shuts down cleanly. A worker that crashed
 * keeps `stoppedAt: null`; its `lastHeartbeatAt` going stale is what tells it apart.
 * Heartbeat and stop times are the database's clock, so workers on hosts whose clocks disagree
 * are compared fairly.
 */
export class WorkerStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Registers the worker or records a heartbeat: writes the snapshot, sets `lastHeartbeatAt` to
   * now, and clears `stoppedAt` (a worker id that heartbeats is running).
   */
  async upsert(snapshot: WorkerSnapshot): Promise<void> {
    await this.pool.query(upsertWorker, [
      snapshot.id,
      snapshot.host,
      snapshot.pid,
      snapshot.queues,
      snapshot.slots,
      new Date(snapshot.startedAt),
    ]);
  }

  /** Answers whether there was a running worker with this id. */
  async markStopped(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(markWorkerStopped, [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Every worker, running or stopped, oldest start first. */
  async list(): Promise<WorkerRecord[]> {
    const { rows } = await this.pool.query<WorkerRow>(selectWorkers);
    return rows.map((row) => ({
      id: row.id,
      host: row.host,
      pid: row.pid,
      queues: row.queues,
      slots: row.slots,
      startedAt: row.started_at.getTime(),
      lastHeartbeatAt: row.last_heartbeat_at.getTime(),
      stoppedAt: row.stopped_at?.getTime() ?? null,
    }));
  }
}

/** What a worker reports of itself (as it announces itself in the registry). Times are epoch milliseconds. */
export type WorkerSnapshot = Omit<WorkerInfo, 'kind' | 'types'>;

export interface WorkerRecord extends WorkerSnapshot {
  lastHeartbeatAt: number;
  /** When it stopped cleanly; null while running or after a crash. */
  stoppedAt: number | null;
}

interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  slots: number;
  started_at: Date;
  last_heartbeat_at: Date;
  stopped_at: Date | null;
}

const upsertWorker = `
insert into workers (id, host, pid, queues, slots, started_at, last_heartbeat_at)
values ($1, $2, $3, $4, $5, $6, now())
on conflict (id) do update
  set host = excluded.host,
      pid = excluded.pid,
      queues = excluded.queues,
      slots = excluded.slots,
      started_at = excluded.started_at,
      last_heartbeat_at = now(),
      stopped_at = null`;

const markWorkerStopped = `update workers set stopped_at = now() where id = $1 and stopped_at is null`;

const selectWorkers = `
select id, host, pid, queues, slots, started_at, last_heartbeat_at, stopped_at
from workers
order by started_at, id`;
