-- Platform tables: sessions, audit trail, durable jobs (the outbox), rate limits.
-- No foreign key leaves this file: modules own their tables.

create table sessions (
  id text primary key,                 -- sha-256 of the cookie token; the token itself is never stored
  account_id bigint,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  user_agent text,
  ip text
);
create index sessions_account_idx on sessions (account_id) where account_id is not null;
create index sessions_expires_idx on sessions (expires_at);

create table audit_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  action text not null,                -- module.noun.verb-ed
  actor_account_id bigint,
  actor_agency_id bigint,
  on_behalf_of_account_id bigint,
  subject_type text,
  subject_id text,
  request_id text,
  ip text,
  details jsonb not null default '{}'::jsonb
);
create index audit_events_subject_idx on audit_events (subject_type, subject_id);
create index audit_events_actor_idx on audit_events (actor_account_id);

-- The audit trail is append-only, even for the application's own database role.
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only';
end $$;
create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_append_only();

create table jobs (
  id bigint generated always as identity primary key,
  queue text not null,
  payload jsonb not null default '{}'::jsonb,
  dedupe_key text unique,
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 8,
  locked_until timestamptz,
  locked_by text,
  last_error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  failed_at timestamptz
);
create index jobs_due_idx on jobs (run_at) where completed_at is null and failed_at is null;

create table rate_limits (
  key text primary key,
  window_start timestamptz not null,
  hits integer not null
);
