-- Invitations to new officials: a single-use link to choose their password.
create table invitations (
  token_hash text primary key,          -- sha-256 of the token in the link
  account_id bigint not null references accounts (id),
  invited_by bigint not null references accounts (id),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index invitations_account_idx on invitations (account_id);
