-- 0008_workflow_runs: runs of workflow versions, with the state of every node. See docs/workflows.md.
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

create table workflow_runs (
  id uuid primary key,
  workflow text not null,
  version integer not null,
  state text not null check (state in ('running', 'paused', 'succeeded', 'failed', 'cancelled')),
  input jsonb not null,
  output jsonb,
  failure jsonb,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  foreign key (workflow, version) references workflow_versions (workflow, version) on delete cascade
);

create index workflow_runs_active_idx on workflow_runs (updated_at) where state in ('running', 'paused');
create index workflow_runs_workflow_idx on workflow_runs (workflow, created_at desc);

create table workflow_run_nodes (
  run_id uuid not null references workflow_runs (id) on delete cascade,
  node_id text not null,
  state text not null default 'waiting' check (state in ('waiting', 'running', 'succeeded', 'failed', 'skipped', 'cancelled')),
  starts integer not null default 0,
  input jsonb,
  output jsonb,
  error jsonb,
  task_queue text,
  task_id uuid,
  child_run uuid,
  items_total integer,
  items_finished integer not null default 0,
  started_at timestamptz,
  finished_at timestamptz,
  primary key (run_id, node_id)
);

create index workflow_run_nodes_running_idx on workflow_run_nodes (run_id) where state = 'running';

create table workflow_run_edges (
  run_id uuid not null references workflow_runs (id) on delete cascade,
  from_node text not null,
  to_node text not null,
  taken boolean not null,
  primary key (run_id, from_node, to_node)
);

create table workflow_run_items (
  run_id uuid not null,
  node_id text not null,
  index integer not null,
  state text not null default 'waiting' check (state in ('waiting', 'running', 'succeeded', 'failed')),
  task_id uuid,
  output jsonb,
  error jsonb,
  primary key (run_id, node_id, index),
  foreign key (run_id, node_id) references workflow_run_nodes (run_id, node_id) on delete cascade
);

comment on table workflow_runs is 'One run of a workflow version; the run engine (leader) moves it on from the state of its nodes.';
comment on column workflow_runs.failure is 'Why the run failed: {nodeIds, message}.';
comment on table workflow_run_nodes is 'Every node of every run; task_id is the task of its current start (a map node has one per item in workflow_run_items).';
comment on column workflow_run_nodes.child_run is 'The sub-run of a workflow node.';
comment on column workflow_run_nodes.starts is 'How many times the run started the node: 1, plus one per retry from it; part of its tasks'' idempotency keys.';
comment on table workflow_run_edges is 'Decided edges: taken (the condition held after its source succeeded) or skipped.';
comment on table workflow_run_items is 'The items of a running or finished map node, one task each.';
