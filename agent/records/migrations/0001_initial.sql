-- 0001_initial: queue definitions, the worker registry and task history.
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

create table queues (
  name text primary key,
  engine text not null check (engine in ('redis', 'postgres')),
  definition jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table queues is 'Queue definitions, the system of record for every queue of the cluster.';
comment on column queues.engine is 'The engine the queue is bound to at creation; it never changes.';
comment on column queues.definition is 'The whole QueueDefinition (shared/queue.ts) as JSON, name and engine included.';

create table workers (
  id text primary key,
  host text not null,
  pid integer not null,
  queues text[] not null default '{}',
  slots integer not null check (slots >= 0),
  started_at timestamptz not null,
  last_heartbeat_at timestamptz not null,
  stopped_at timestamptz
);

comment on table workers is 'The worker registry: one row per worker process, refreshed by its heartbeats.';
comment on column workers.slots is 'How many tasks the worker runs at once over all its queues.';
comment on column workers.last_heartbeat_at is 'Database time of the latest heartbeat, so hosts with skewed clocks compare fairly.';
comment on column workers.stopped_at is 'Set when the worker stopped cleanly; null while running (or after a crash: see last_heartbeat_at).';

create table task_history (
  id uuid primary key,
  queue text not null,
  type text not null,
  state text not null check (state in ('succeeded', 'dead', 'cancelled')),
  priority smallint not null,
  payload jsonb,
  result jsonb,
  error jsonb,
  attempts integer not null,
  max_attempts integer not null,
  attempt_history jsonb not null default '[]',
  idempotency_key text,
  trace_parent text,
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz not null,
  archived_at timestamptz not null default now()
);

comment on table task_history is 'Finished tasks moved out of the engines by the archiver; pruned per queue retention.';
comment on column task_history.queue is 'The queue name; not a foreign key, so history outlives a deleted queue.';
comment on column task_history.payload is 'Null when the queue retention policy drops payloads of this kind of task.';
comment on column task_history.error is 'The error of the last failed attempt: {message, stack?, code?}.';
comment on column task_history.attempt_history is 'Every attempt oldest first: AttemptRecord[] of shared/task.ts, times in epoch ms.';
comment on column task_history.archived_at is 'When the archiver inserted the row.';

create index task_history_queue_finished_at_idx on task_history (queue, finished_at desc);
create index task_history_queue_state_finished_at_idx on task_history (queue, state, finished_at desc);
create index task_history_type_idx on task_history (type);
