-- 0002_security: users, refresh-token families, API keys, signing keys, the one-time setup token
-- and the append-only audit log. See docs/security.md.
-- Applied migrations are never edited: change the schema in a new numbered file (docs/records.md).

create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username = lower(username)),
  password_hash text not null,
  role text not null check (role in ('admin', 'operator', 'viewer')),
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  password_changed_at timestamptz not null default now()
);

comment on table users is 'People who sign in to the console and the desktop app.';
comment on column users.username is 'Stored lower-cased, so names are unique regardless of case.';
comment on column users.password_hash is 'Argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash).';

create table refresh_tokens (
  id uuid primary key,
  family_id uuid not null,
  user_id uuid not null references users (id) on delete cascade,
  secret_hash bytea not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);

comment on table refresh_tokens is 'Opaque refresh tokens <id>.<secret>; each rotation adds a row to the family of the sign-in.';
comment on column refresh_tokens.secret_hash is 'sha256 of the secret part of the token; the secret itself is never stored.';
comment on column refresh_tokens.used_at is 'Set when the token was exchanged; presenting it again revokes the whole family.';

create index refresh_tokens_family_id_idx on refresh_tokens (family_id);
create index refresh_tokens_user_id_idx on refresh_tokens (user_id);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  prefix text not null unique,
  secret_hash text not null,
  name text not null,
  scopes text[] not null,
  created_by uuid references users (id) on delete set null,
  created_by_role text not null check (created_by_role in ('admin', 'operator', 'viewer')),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);

comment on table api_keys is 'Keys sy_<prefix>_<secret> for applications; the prefix is public, the secret is stored as sha256 hex.';
comment on column api_keys.created_by_role is 'The creator''s role when the key was made; the scopes never exceed it.';
comment on column api_keys.last_used_at is 'Refreshed at most once a minute per key.';

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('user', 'apiKey', 'system')),
  actor_id text not null,
  actor_name text not null,
  role text check (role in ('admin', 'operator', 'viewer')),
  action text not null,
  target text not null,
  before jsonb,
  after jsonb,
  address text
);

comment on table audit_log is 'Every change an operator, admin, key or the system made. Append-only: a trigger refuses update, delete and truncate.';
comment on column audit_log.before is 'The target before the change, secrets redacted; null for a creation.';
comment on column audit_log.after is 'The target after the change, secrets redacted; null for a deletion.';

create index audit_log_action_id_idx on audit_log (action, id);
create index audit_log_actor_id_id_idx on audit_log (actor_id, id);
create index audit_log_at_idx on audit_log (at);

create function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op;
end
$$;

create trigger audit_log_append_only
before update or delete on audit_log
for each row execute function audit_log_refuse_change();

create trigger audit_log_no_truncate
before truncate on audit_log
for each statement execute function audit_log_refuse_change();

create table signing_keys (
  kid text primary key,
  algorithm text not null,
  private_jwk jsonb not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now()
);

comment on table signing_keys is 'Keys the agents of the cluster sign access tokens with; the newest signs, every one verifies.';
comment on column signing_keys.kid is 'The RFC 7638 thumbprint of the public key, sent as the kid of every token it signs.';

create table setup_tokens (
  id integer primary key default 1 check (id = 1),
  secret_hash bytea not null,
  created_at timestamptz not null default now(),
  used_at timestamptz
);

comment on table setup_tokens is 'At most one row: the one-time token that creates the first admin while there are no users.';
