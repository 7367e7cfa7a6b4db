-- A sign-up in progress: the register record it claims and the one-time code sent to
-- the contact on record. The code is stored only as a keyed hash.
create table sign_up_requests (
  id text primary key,                  -- random; kept in the applicant's session
  resident_id bigint not null,          -- registry.residents(id)
  email text not null,
  code_hash text not null,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index sign_up_requests_resident_idx on sign_up_requests (resident_id, created_at);
