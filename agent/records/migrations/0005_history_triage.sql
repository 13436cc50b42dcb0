-- Dead-letter triage and search over task history.

alter table task_history
  add column error_signature text,
  add column error_title text,
  add column requeued_as uuid,
  add column requeued_at timestamptz,
  add column timeout_ms integer,
  add column backoff jsonb;

comment on column task_history.error_signature is 'The failure''s grouping key (shared/errorSignature.ts): normalised message and top stack frame.';
comment on column task_history.error_title is 'The normalised message of the last error, for people.';
comment on column task_history.timeout_ms is 'The attempt timeout, so a requeue from history keeps it; null in rows archived before it was kept.';
comment on column task_history.backoff is 'The retry policy (BackoffPolicy), kept for the same reason.';
comment on column task_history.requeued_as is 'The task enqueued from this one by a retry or a dead-letter requeue; it leaves the dead-letter queue.';

-- The dead-letter queue: dead tasks not yet requeued, grouped by signature.
create index task_history_dead_letters_idx on task_history (queue, error_signature, finished_at desc)
  where state = 'dead' and requeued_at is null;

-- Search pages newest first, ties broken by id.
create index task_history_finished_at_id_idx on task_history (finished_at desc, id desc);
