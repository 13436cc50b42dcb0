import type pg from 'pg';
import type { RetentionPolicy } from '../../shared/queue.js';

/**
 * Deletes the task history of one queue that its retention policy no longer keeps: rows that
 * finished more than `maxAgeMs` ago, then the oldest rows beyond the newest `maxCount`. Deletes go
 * in batches of `batchSize` (default 10 000), oldest first, each its own short statement, so a
 * first prune of a large table never holds one long transaction. Answers how many rows went.
 */
export async function pruneHistory(
  pool: pg.Pool,
  queue: string,
  retention: Pick<RetentionPolicy, 'maxAgeMs' | 'maxCount'>,
  { batchSize = 10_000 }: { batchSize?: number } = {},
): Promise<number> {
  let deleted = await deleteInBatches(pool, deleteOlderThan, [queue, retention.maxAgeMs], batchSize);
  // The newest row past the count limit: it and everything older goes.
  const { rows } = await pool.query<{ finished_at: Date; id: string }>(selectCountCutoff, [queue, retention.maxCount]);
  const cutoff = rows[0];
  if (cutoff) deleted += await deleteInBatches(pool, deleteUpToCutoff, [queue, cutoff.finished_at, cutoff.id], batchSize);
  return deleted;
}

async function deleteInBatches(pool: pg.Pool, statement: string, parameters: unknown[], batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(statement, [...parameters, batchSize]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return total;
  }
}

const deleteOlderThan = `
delete from task_history
where id in (
  select id from task_history
  where queue = $1 and finished_at < now() - $2::double precision * interval '1 millisecond'
  order by finished_at
  limit $3
)`;

const selectCountCutoff = `
select finished_at, id from task_history
where queue = $1
order by finished_at desc, id desc
offset $2
limit 1`;

const deleteUpToCutoff = `
delete from task_history
where id in (
  select id from task_history
  where queue = $1 and finished_at <= $2 and (finished_at, id) <= ($2::timestamptz, $3::uuid)
  order by finished_at, id
  limit $4
)`;
