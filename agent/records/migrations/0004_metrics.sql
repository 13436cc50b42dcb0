-- 0004_metrics: the rolling metrics history of each queue (docs/metrics.md).
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

create table metric_points (
  queue text not null,
  resolution text not null check (resolution in ('second', 'minute')),
  at bigint not null,
  enqueued bigint not null,
  succeeded bigint not null,
  failed bigint not null,
  dead bigint not null,
  cancelled bigint not null,
  depth bigint not null,
  depth_max bigint not null,
  active bigint not null,
  measured bigint not null,
  wait_p50 double precision,
  wait_p95 double precision,
  wait_p99 double precision,
  run_p50 double precision,
  run_p95 double precision,
  run_p99 double precision,
  wait_histogram integer[],
  run_histogram integer[],
  primary key (queue, resolution, at)
);

comment on table metric_points is 'One point per queue per second (kept an hour) and per minute (kept a week), written by the leader''s MetricsRecorder.';
comment on column metric_points.at is 'Start of the period, epoch milliseconds.';
comment on column metric_points.measured is 'Finished tasks (succeeded or dead) whose wait and run times the percentiles cover.';
comment on column metric_points.wait_histogram is 'Seconds only: the queue-wait LogHistogram as [bucket, count, …] pairs, merged to roll up minutes.';
comment on column metric_points.run_histogram is 'Seconds only: the run-time LogHistogram as [bucket, count, …] pairs.';

-- Pruning deletes by age per resolution, across queues; roll-ups find a minute's queues.
create index metric_points_resolution_at_idx on metric_points (resolution, at);
