-- 0003_schedules: cron schedules that enqueue a task on every tick. See docs/schedules.md.
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

create table schedules (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  queue text not null,
  cron text not null,
  time_zone text not null default 'UTC',
  task jsonb not null,
  missed_tick_policy text not null default 'skip' check (missed_tick_policy in ('skip', 'run-once')),
  enabled boolean not null default true,
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_tick_at timestamptz,
  next_tick_at timestamptz
);

comment on table schedules is 'Cron schedules: each due tick enqueues the task template on the queue, once, on the leader.';
comment on column schedules.queue is 'The queue name; not a foreign key, so a schedule outlives its queue (its ticks are then logged and dropped).';
comment on column schedules.cron is 'A croner pattern of 5, 6 (with seconds) or 7 (with years) fields, or a nickname such as @daily.';
comment on column schedules.time_zone is 'IANA time zone the cron pattern is read in.';
comment on column schedules.task is 'The task template (type, payload, priority, maxAttempts, timeoutMs, backoff) enqueued on every tick.';
comment on column schedules.revision is 'Rises with every change through the API; the scheduler advances a tick only on the revision it read.';
comment on column schedules.last_tick_at is 'The scheduled time of the last tick enqueued (for a run-once catch-up: the first missed tick); null before the first.';
comment on column schedules.next_tick_at is 'The scheduled time of the next tick to enqueue; null while disabled or when the pattern has no future time.';

create index schedules_next_tick_at_idx on schedules (next_tick_at) where enabled;
