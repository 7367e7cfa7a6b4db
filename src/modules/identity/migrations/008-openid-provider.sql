-- Nara as the national OpenID Provider: registered clients, the provider's stored
-- artefacts (codes, tokens, grants, sessions, interactions), consents the residents gave,
-- and the provider's signing keys.

-- A stable, non-guessable subject identifier for relying parties (never the row id).
alter table accounts add column public_id uuid not null default gen_random_uuid();
create unique index accounts_public_id_idx on accounts (public_id);

create table oidc_clients (
  client_id text primary key,
  name text not null,
  secret_cipher text not null,          -- AES-256-GCM under DATA_KEY
  redirect_uris jsonb not null,
  scope text not null,                  -- the scopes this client may ask for
  grant_types jsonb not null default '["authorization_code"]'::jsonb,
  agency_id bigint references agencies (id),
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

-- oidc-provider's models (AuthorizationCode, AccessToken, Grant, Session, Interaction, ...)
create table oidc_payloads (
  model text not null,
  id text not null,
  payload jsonb not null,
  grant_id text,
  uid text,
  user_code text,
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oidc_payloads_grant_idx on oidc_payloads (grant_id) where grant_id is not null;
create index oidc_payloads_uid_idx on oidc_payloads (uid) where uid is not null;
create index oidc_payloads_expiry_idx on oidc_payloads (expires_at);

-- What a person agreed a client may receive; remembered until they revoke it.
create table oidc_consents (
  account_id bigint not null references accounts (id),
  client_id text not null references oidc_clients (client_id),
  grant_id text not null,
  scope text not null,
  granted_at timestamptz not null default now(),
  primary key (account_id, client_id)
);

create table oidc_signing_keys (
  kid text primary key,
  alg text not null,
  private_jwk_cipher text not null,     -- AES-256-GCM under DATA_KEY
  created_at timestamptz not null default now()
);
