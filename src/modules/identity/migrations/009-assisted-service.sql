-- Assisted service: an official at a counter acts for a resident who is present, once the
-- resident has confirmed with a one-time code sent to them or with their passkey.
create table assisted_sessions (
  id text primary key,
  official_account_id bigint not null references accounts (id),
  official_session_id text not null,     -- only the counter's own browser session may use it
  agency_id bigint not null references agencies (id),
  resident_account_id bigint not null references accounts (id),
  code_hash text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,       -- of the code until confirmed, then of the assistance
  confirmed_at timestamptz,
  confirmed_with text check (confirmed_with in ('code', 'passkey')),
  ended_at timestamptz,
  created_at timestamptz not null default now()
);
create index assisted_sessions_official_idx on assisted_sessions (official_account_id) where ended_at is null;
