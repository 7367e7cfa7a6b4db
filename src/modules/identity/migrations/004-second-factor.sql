-- Time-based one-time passwords (RFC 6238) and their recovery codes.
create table totp_credentials (
  account_id bigint primary key references accounts (id),
  secret_cipher text not null,          -- AES-256-GCM under DATA_KEY
  confirmed_at timestamptz,             -- null until the first code proves the app has it
  last_time_step bigint,                -- a code from this step or earlier is a replay
  created_at timestamptz not null default now()
);

create table recovery_codes (
  account_id bigint not null references accounts (id),
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (account_id, code_hash)
);
