-- WebAuthn credentials (passkeys). Several per account, each named by its owner.
create table passkeys (
  id text primary key,                  -- credential id, base64url
  account_id bigint not null references accounts (id),
  public_key text not null,             -- COSE public key, base64url
  counter bigint not null default 0,
  transports jsonb not null default '[]'::jsonb,
  name text not null,
  backed_up boolean not null default false,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index passkeys_account_idx on passkeys (account_id);
