-- 0006_postgres_engine: the Postgres engine's queues, tasks, counts and idempotency keys.
-- See docs/engine-postgres.md. Times are epoch milliseconds (bigint) from the database clock.

create function engine_now() returns bigint
language sql volatile as $$ select floor(extract(epoch from clock_timestamp()) * 1000)::bigint $$;

create table engine_queues (
  name text primary key,
  definition jsonb not null,
  paused boolean not null default false,
  concurrency integer,
  rate_max integer,
  rate_interval_ms integer,
  deduplication_window_ms bigint not null,
  rate_window_start bigint not null default 0,
  rate_window_count integer not null default 0,
  created_at timestamptz not null default now()
);

comment on table engine_queues is 'Queues of the Postgres engine: the engine''s own copy of each definition, and its pause and rate-window state.';

-- Counts per state, sharded: a state change adds to one of 16 rows picked at random, so no row is
-- hot; a read sums the shards. Finished states count since the queue was created.
create table engine_counts (
  queue text not null,
  shard smallint not null,
  scheduled bigint not null default 0,
  queued bigint not null default 0,
  active bigint not null default 0,
  failed bigint not null default 0,
  succeeded bigint not null default 0,
  dead bigint not null default 0,
  cancelled bigint not null default 0,
  primary key (queue, shard)
);

-- Arrival order (FIFO within a priority; also the archiver's finishing order) and fencing tokens.
-- No cache: numbers must rise across sessions.
create sequence engine_task_order;
create sequence engine_fencing_tokens;

create table engine_tasks (
  id uuid primary key,
  queue text not null,
  type text not null,
  payload json not null,
  state text not null check (state in ('scheduled', 'queued', 'active', 'failed', 'succeeded', 'dead', 'cancelled')),
  priority smallint not null,
  seq bigint not null,
  run_at bigint not null,
  attempts integer not null default 0,
  max_attempts integer not null,
  timeout_ms integer not null,
  backoff jsonb,
  idempotency_key text,
  trace_parent text,
  created_at bigint not null,
  started_at bigint,
  finished_at bigint,
  lease_token bigint,
  lease_until bigint,
  worker_id text,
  result json,
  error jsonb,
  history jsonb not null default '[]',
  logs jsonb
);

comment on column engine_tasks.seq is 'Arrival number while waiting (negative: released, so first in its priority); finishing number once finished.';
comment on column engine_tasks.history is 'Ended attempts other than the success, AttemptRecord[] with their logged lines.';
comment on column engine_tasks.logs is 'Lines the successful attempt logged.';
comment on column engine_tasks.backoff is 'The BackoffPolicy, or null for the default.';

create index engine_tasks_claim_idx on engine_tasks (queue, priority desc, seq) where state = 'queued';
create index engine_tasks_due_idx on engine_tasks (queue, run_at) where state in ('scheduled', 'failed');
create index engine_tasks_lease_idx on engine_tasks (queue, lease_until) where state = 'active';
create index engine_tasks_finished_idx on engine_tasks (queue, seq) where state in ('succeeded', 'dead', 'cancelled');

create table engine_idempotency_keys (
  queue text not null,
  key text not null,
  task_id uuid not null,
  expires_at bigint not null,
  primary key (queue, key)
);

-- Adds to one count shard of a queue.
create function engine_bump(p_queue text, p_scheduled bigint, p_queued bigint, p_active bigint, p_failed bigint,
  p_succeeded bigint, p_dead bigint, p_cancelled bigint) returns void
language plpgsql as $$
declare
  -- Drawn once: in the where clause random() would be drawn again for every row.
  v_shard smallint := floor(random() * 16)::smallint;
begin
  if p_scheduled = 0 and p_queued = 0 and p_active = 0 and p_failed = 0 and p_succeeded = 0 and p_dead = 0 and p_cancelled = 0 then
    return;
  end if;
  update engine_counts set
    scheduled = scheduled + p_scheduled, queued = queued + p_queued, active = active + p_active,
    failed = failed + p_failed, succeeded = succeeded + p_succeeded, dead = dead + p_dead,
    cancelled = cancelled + p_cancelled
  where queue = p_queue and shard = v_shard;
end $$;

-- Enqueues a batch (p_tasks: [{n, id, p: priority, r: run-at, d: delay, m: max attempts, s: spec}]).
-- p_keys/p_ids: each task's idempotency key (null = none) and id, or null when no task has a key.
-- Answers the ids (null when no key: the given ones), which were deduplicated, and whether idle
-- workers should be woken; with p_notify it wakes them itself (inside the caller's transaction).
create function engine_enqueue(p_queue text, p_tasks json, p_keys text[], p_ids uuid[], p_notify boolean)
returns table (out_ids text[], out_deduplicated boolean[], out_wake boolean)
language plpgsql as $$
declare
  v_now bigint := engine_now();
  v_window bigint;
  v_earliest bigint;
  v_queued bigint;
  v_scheduled bigint;
  v_soonest bigint;
begin
  select deduplication_window_ms into v_window from engine_queues where name = p_queue;
  if not found then
    raise exception 'queue % does not exist', p_queue using errcode = 'SY001';
  end if;
  out_wake := false;
  if p_keys is not null then
    insert into engine_idempotency_keys as k (queue, key, task_id, expires_at)
    select distinct on (u.key) p_queue, u.key, u.id, v_now + v_window
    from unnest(p_keys, p_ids) with ordinality as u(key, id, n)
    where u.key is not null
    order by u.key, u.n
    on conflict (queue, key) do update set task_id = excluded.task_id, expires_at = excluded.expires_at
      where k.expires_at <= v_now;
    select array_agg(coalesce(k.task_id, u.id)::text order by u.n), array_agg(coalesce(k.task_id, u.id) <> u.id order by u.n)
    into out_ids, out_deduplicated
    from unnest(p_keys, p_ids) with ordinality as u(key, id, n)
    left join engine_idempotency_keys k on k.queue = p_queue and k.key = u.key;
  end if;
  select min(run_at) into v_earliest from engine_tasks where queue = p_queue and state in ('scheduled', 'failed');
  with inserted as (
    insert into engine_tasks (id, queue, type, payload, state, priority, seq, run_at, max_attempts, timeout_ms, backoff,
      idempotency_key, trace_parent, created_at)
    select x.id, p_queue, s.type, coalesce(s.payload, 'null'::json),
      case when x.due > v_now then 'scheduled' else 'queued' end,
      x.p, nextval('engine_task_order'), greatest(x.due, v_now), x.m, coalesce(s."timeoutMs", 30000), s.backoff,
      s."idempotencyKey", s."traceParent", v_now
    from (
      select t.*, case when t.d > 0 then v_now + t.d else t.r end as due
      from json_to_recordset(p_tasks) as t(n integer, id uuid, p smallint, r bigint, d bigint, m integer, s json)
    ) x
    cross join lateral json_to_record(x.s) as s(type text, payload json, "timeoutMs" integer, backoff jsonb,
      "idempotencyKey" text, "traceParent" text)
    where out_deduplicated is null or not out_deduplicated[x.n]
    returning state, run_at
  )
  select count(*) filter (where state = 'queued'), count(*) filter (where state = 'scheduled'),
    min(run_at) filter (where state = 'scheduled')
  into v_queued, v_scheduled, v_soonest
  from inserted;
  perform engine_bump(p_queue, v_scheduled, v_queued, 0, 0, 0, 0, 0);
  -- Idle workers sleep until the earliest scheduled task: one due sooner must wake them too.
  out_wake := v_queued > 0 or (v_scheduled > 0 and (v_earliest is null or v_soonest < v_earliest));
  if out_wake and p_notify then
    perform pg_notify('switchyard_wake', p_queue);
  end if;
  return next;
end $$;

-- Makes tasks whose lease ran out claimable again (or dead after their last attempt). With
-- p_count it adds them to the counts itself; engine_settle_and_claim adds them with its own
-- changes instead, so a transaction writes one count shard (two, taken in random order by two
-- transactions, could deadlock).
create function engine_recover(p_queue text, p_max integer, p_now bigint, p_count boolean)
returns table (out_recovered bigint, out_requeued bigint, out_dead bigint)
language plpgsql as $$
begin
  with expired as (
    select id from engine_tasks
    where queue = p_queue and state = 'active' and lease_until < p_now
    order by lease_until limit p_max
    for update skip locked
  ), recovered as (
    update engine_tasks t set
      state = case when t.attempts >= t.max_attempts then 'dead' else 'queued' end,
      history = t.history || jsonb_build_array(jsonb_build_object('attempt', t.attempts, 'workerId', t.worker_id,
        'startedAt', t.started_at, 'finishedAt', p_now, 'outcome', 'lease-expired',
        'error', '{"message":"lease expired: the worker stopped answering"}'::jsonb)),
      error = '{"message":"lease expired: the worker stopped answering"}'::jsonb,
      finished_at = case when t.attempts >= t.max_attempts then p_now end,
      seq = nextval('engine_task_order'),
      lease_token = null,
      lease_until = null
    from expired
    where t.id = expired.id
    returning t.state
  )
  select count(*), count(*) filter (where state = 'queued'), count(*) filter (where state = 'dead')
  into out_recovered, out_requeued, out_dead
  from recovered;
  if p_count then
    perform engine_bump(p_queue, 0, out_requeued, -out_recovered, 0, 0, out_dead, 0);
  end if;
  return next;
end $$;

-- The worker's hot path, one round trip: records outcomes (p_outcomes: [{n, id, t: token, ok,
-- v: result or error, d: retry delay, r: retryable, a: attempt, l: logged lines}]), then recovers
-- expired leases, promotes due tasks and claims up to p_max under one fencing token.
create function engine_settle_and_claim(p_queue text, p_worker text, p_max integer, p_lease_ms bigint, p_outcomes json)
returns table (out_acknowledged text[], out_tasks json, out_lease_until bigint, out_next_due bigint, out_wake boolean)
language plpgsql as $$
declare
  v_now bigint := engine_now();
  v_queue engine_queues;
  v_settled bigint := 0;
  v_succeeded bigint := 0;
  v_retrying bigint := 0;
  v_dead bigint := 0;
  v_requeued bigint := 0;
  v_recovered bigint := 0;
  v_recovered_dead bigint := 0;
  v_from_scheduled bigint := 0;
  v_from_failed bigint := 0;
  v_allowed integer;
  v_active bigint;
  v_used integer := 0;
  v_window_start bigint := 0;
  v_token bigint;
  v_claimed bigint := 0;
begin
  select * into v_queue from engine_queues where name = p_queue;
  if not found then
    raise exception 'queue % does not exist', p_queue using errcode = 'SY001';
  end if;
  out_wake := false;
  out_acknowledged := '{}';
  out_lease_until := v_now + p_lease_ms;

  -- 1. Outcomes: applied only while the lease they name is current.
  if p_outcomes is not null and json_array_length(p_outcomes) > 0 then
    with o as (
      select * from json_to_recordset(p_outcomes)
        as x(n integer, id uuid, t bigint, ok boolean, v json, d bigint, r boolean, a integer, l jsonb)
    ), settled as (
      update engine_tasks t set
        state = case when o.ok then 'succeeded' when o.r and t.attempts < t.max_attempts then 'failed' else 'dead' end,
        run_at = case when not o.ok and o.r and t.attempts < t.max_attempts then v_now + o.d else t.run_at end,
        finished_at = case when o.ok or not (o.r and t.attempts < t.max_attempts) then v_now end,
        seq = case when o.ok or not (o.r and t.attempts < t.max_attempts) then nextval('engine_task_order') else t.seq end,
        result = case when o.ok then o.v end,
        error = case when o.ok then t.error else o.v::jsonb end,
        history = case when o.ok then t.history else t.history || jsonb_build_array(
          jsonb_build_object('attempt', t.attempts, 'workerId', t.worker_id, 'startedAt', t.started_at,
            'finishedAt', v_now, 'outcome', 'failed', 'error', o.v::jsonb)
          || case when o.l is null then '{}'::jsonb else jsonb_build_object('logs', o.l) end) end,
        logs = case when o.ok then o.l else t.logs end,
        lease_token = null,
        lease_until = null
      from o
      where t.id = o.id and t.queue = p_queue and t.state = 'active' and t.lease_token = o.t and t.lease_until >= v_now
      returning o.n, t.state
    )
    select array_agg(coalesce(case s.state when 'failed' then 'retrying' else s.state end, 'stale') order by o.n),
      count(s.n), count(s.n) filter (where s.state = 'succeeded'), count(s.n) filter (where s.state = 'failed'),
      count(s.n) filter (where s.state = 'dead')
    into out_acknowledged, v_settled, v_succeeded, v_retrying, v_dead
    from o left join settled s on s.n = o.n;
    -- A capped queue wakes idle workers whenever slots free up.
    if v_settled > 0 and v_queue.concurrency is not null then
      out_wake := true;
    end if;
  end if;

  -- 2. Claim.
  if p_max > 0 then
    select out_recovered, out_requeued, out_dead into v_recovered, v_requeued, v_recovered_dead
    from engine_recover(p_queue, 100, v_now, false);
    if v_requeued > 0 then
      out_wake := true;
    end if;
    with due as (
      select id, state from engine_tasks
      where queue = p_queue and state in ('scheduled', 'failed') and run_at <= v_now
      order by run_at limit greatest(p_max, 1000)
      for update skip locked
    ), promoted as (
      update engine_tasks t set state = 'queued', seq = nextval('engine_task_order')
      from due where t.id = due.id
      returning due.state as was
    )
    select count(*) filter (where was = 'scheduled'), count(*) filter (where was = 'failed')
    into v_from_scheduled, v_from_failed
    from promoted;

    v_allowed := least(p_max, 1000);
    if v_queue.paused then
      v_allowed := 0;
    end if;
    -- Capped and rate-limited queues claim one at a time; other queues never take this lock.
    if v_allowed > 0 and (v_queue.concurrency is not null or v_queue.rate_max is not null) then
      perform pg_advisory_xact_lock(hashtextextended('switchyard.engine.claim:' || p_queue, 0));
      if v_queue.concurrency is not null then
        select count(*) into v_active from engine_tasks where queue = p_queue and state = 'active';
        v_allowed := greatest(0, least(v_allowed, v_queue.concurrency - v_active));
      end if;
      if v_queue.rate_max is not null then
        select * into v_queue from engine_queues where name = p_queue;
        if v_queue.rate_window_start + v_queue.rate_interval_ms > v_now then
          v_window_start := v_queue.rate_window_start;
          v_used := v_queue.rate_window_count;
        else
          v_window_start := v_now;
          v_used := 0;
        end if;
        v_allowed := greatest(0, least(v_allowed, v_queue.rate_max - v_used));
        v_queue.rate_window_start := v_window_start;
      end if;
    end if;

    if v_allowed > 0 then
      v_token := nextval('engine_fencing_tokens');
      with picked as (
        select id from engine_tasks
        where queue = p_queue and state = 'queued'
        order by priority desc, seq
        limit v_allowed
        for update skip locked
      ), claimed as (
        update engine_tasks t set state = 'active', attempts = t.attempts + 1, started_at = v_now,
          lease_token = v_token, lease_until = v_now + p_lease_ms, worker_id = p_worker
        from picked where t.id = picked.id
        returning t.id, t.type, t.payload, t.priority, t.seq, t.attempts, t.max_attempts, t.timeout_ms, t.backoff,
          t.idempotency_key, t.trace_parent
      )
      select count(*), json_agg(json_build_object('id', c.id, 'type', c.type, 'payload', c.payload, 'priority', c.priority,
          'attempt', c.attempts, 'maxAttempts', c.max_attempts, 'timeoutMs', c.timeout_ms, 'backoff', c.backoff,
          'idempotencyKey', c.idempotency_key, 'traceParent', c.trace_parent, 'token', v_token) order by c.priority desc, c.seq)
      into v_claimed, out_tasks
      from claimed c;
      if v_claimed > 0 and v_queue.rate_max is not null then
        update engine_queues set rate_window_start = v_window_start, rate_window_count = v_used + v_claimed
        where name = p_queue;
      end if;
    end if;

    if v_claimed < p_max then
      select min(run_at) into out_next_due from engine_tasks where queue = p_queue and state in ('scheduled', 'failed');
      if v_queue.rate_max is not null and v_queue.rate_window_start + v_queue.rate_interval_ms > v_now
        and exists (select 1 from engine_tasks where queue = p_queue and state = 'queued') then
        out_next_due := least(coalesce(out_next_due, v_queue.rate_window_start + v_queue.rate_interval_ms),
          v_queue.rate_window_start + v_queue.rate_interval_ms);
      end if;
    end if;
  end if;

  perform engine_bump(p_queue, -v_from_scheduled, v_from_scheduled + v_from_failed + v_requeued - v_claimed,
    v_claimed - v_settled - v_recovered, v_retrying - v_from_failed, v_succeeded, v_dead + v_recovered_dead, 0);
  return next;
end $$;

-- Gives claimed tasks back without counting the attempt (p_leases: [{n, id, t: token}]); they go
-- first in their priority. Answers, per lease, whether it was still held.
create function engine_release(p_queue text, p_leases json)
returns table (out_released boolean[])
language plpgsql as $$
declare
  v_now bigint := engine_now();
  v_count bigint;
begin
  with o as (
    select * from json_to_recordset(p_leases) as x(n integer, id uuid, t bigint)
  ), released as (
    update engine_tasks t set state = 'queued', attempts = t.attempts - 1, started_at = null, worker_id = null,
      lease_token = null, lease_until = null, seq = -nextval('engine_task_order')
    from o
    where t.id = o.id and t.queue = p_queue and t.state = 'active' and t.lease_token = o.t and t.lease_until >= v_now
    returning o.n
  )
  select array_agg(r.n is not null order by o.n), count(r.n) into out_released, v_count
  from o left join released r on r.n = o.n;
  perform engine_bump(p_queue, 0, v_count, -v_count, 0, 0, 0, 0);
  return next;
end $$;

-- Cancels a task that has not finished: 1 cancelled, 0 already finished, -2 no such task.
create function engine_cancel(p_queue text, p_id uuid) returns integer
language plpgsql as $$
declare
  v_now bigint := engine_now();
  v_state text;
begin
  select state into v_state from engine_tasks where id = p_id and queue = p_queue for update;
  if not found then
    return -2;
  end if;
  if v_state not in ('scheduled', 'queued', 'failed', 'active') then
    return 0;
  end if;
  update engine_tasks set state = 'cancelled', finished_at = v_now, seq = nextval('engine_task_order'),
    history = case when v_state = 'active' then history || jsonb_build_array(jsonb_build_object('attempt', attempts,
      'workerId', worker_id, 'startedAt', started_at, 'finishedAt', v_now, 'outcome', 'cancelled', 'error', null)) else history end,
    lease_token = null, lease_until = null
  where id = p_id;
  perform engine_bump(p_queue, -(v_state = 'scheduled')::int, -(v_state = 'queued')::int, -(v_state = 'active')::int,
    -(v_state = 'failed')::int, 0, 0, 1);
  return 1;
end $$;

-- Makes a scheduled or backing-off task queued now: 1 promoted, 0 not waiting, -2 no such task.
create function engine_promote(p_queue text, p_id uuid) returns integer
language plpgsql as $$
declare
  v_state text;
begin
  select state into v_state from engine_tasks where id = p_id and queue = p_queue for update;
  if not found then
    return -2;
  end if;
  if v_state not in ('scheduled', 'failed') then
    return 0;
  end if;
  update engine_tasks set state = 'queued', run_at = engine_now(), seq = nextval('engine_task_order') where id = p_id;
  perform engine_bump(p_queue, -(v_state = 'scheduled')::int, 1, 0, -(v_state = 'failed')::int, 0, 0, 0);
  return 1;
end $$;

-- Runs a dead or cancelled task again with a fresh set of attempts: 1 queued, 0 not dead or
-- cancelled, -2 no such task. Finished counts are totals since creation, so they do not drop.
create function engine_retry(p_queue text, p_id uuid) returns integer
language plpgsql as $$
declare
  v_state text;
begin
  select state into v_state from engine_tasks where id = p_id and queue = p_queue for update;
  if not found then
    return -2;
  end if;
  if v_state not in ('dead', 'cancelled') then
    return 0;
  end if;
  update engine_tasks set state = 'queued', max_attempts = attempts + max_attempts, run_at = engine_now(),
    started_at = null, finished_at = null, lease_token = null, lease_until = null, seq = nextval('engine_task_order')
  where id = p_id;
  perform engine_bump(p_queue, 0, 1, 0, 0, 0, 0, 0);
  return 1;
end $$;
