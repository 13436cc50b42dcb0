-- 0007_workflows: versioned workflow definitions. See docs/workflows.md.
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

create table workflows (
  name text primary key check (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  latest_version integer not null check (latest_version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table workflow_versions (
  workflow text not null references workflows (name) on delete cascade,
  version integer not null check (version >= 1),
  definition jsonb not null,
  message text not null default '',
  created_by text,
  created_at timestamptz not null default now(),
  primary key (workflow, version)
);

comment on table workflows is 'One row per workflow name; its versions are in workflow_versions and never change once written.';
comment on column workflows.latest_version is 'The highest version saved; a save writes latest_version + 1 under a row lock.';
comment on table workflow_versions is 'Immutable versions of each workflow definition; a run records the version it ran.';
comment on column workflow_versions.definition is 'The definition as validateWorkflow (shared/workflows) returned it, defaults filled in.';
comment on column workflow_versions.created_by is 'Who saved it: a user name or an API key name; null for the agent itself.';
