-- Certificates issued as a PDF and as a W3C Verifiable Credential (VC-JOSE), the agencies'
-- signing keys, revocation and suspension as append-only facts, and every verification
-- of a certificate by someone other than its holder (shown to the holder).

-- Each agency signs with its own Ed25519 keys. A rotated key is retired, never deleted:
-- credentials it signed stay verifiable.
create table issuer_keys (
  kid text primary key,                      -- JWK thumbprint (RFC 7638)
  agency_id bigint not null,                 -- identity.agencies(id); no cross-module foreign key
  public_jwk jsonb not null,
  private_key_cipher text not null,          -- PKCS#8 DER, AES-256-GCM under DATA_KEY
  created_at timestamptz not null default now(),
  retired_at timestamptz
);
-- At most one key signs for an agency at a time.
create unique index issuer_keys_active_idx on issuer_keys (agency_id) where retired_at is null;

-- Certificate types are data: an agency defines what a type states and where each fact
-- comes from (a register or an approved application).
create table certificate_types (
  code text primary key,
  agency_id bigint not null,
  department_id bigint not null,
  title jsonb not null,                      -- {ko, en}
  summary jsonb not null,
  source text not null check (source in ('resident-register', 'business-register', 'application')),
  service_code text,                         -- source 'application': issued when it is approved
  fields jsonb not null,                     -- [{key, label: {ko, en}, omittable}]
  variants jsonb not null default '[]'::jsonb, -- [{code, title, omits: [key]}], e.g. abridged
  requesters jsonb not null,                 -- ["resident"], ["business"] or both
  validity_days integer not null check (validity_days > 0),
  fee_minor integer not null default 0 check (fee_minor >= 0),
  shows_full_national_id boolean not null default false,
  created_at timestamptz not null default now(),
  check ((source = 'application') = (service_code is not null))
);
create unique index certificate_types_service_idx on certificate_types (service_code) where service_code is not null;

create table certificates (
  id bigint generated always as identity primary key,
  issue_number text not null unique,         -- 16 random digits: not guessable, not sequential
  type_code text not null references certificate_types (code),
  variant text,
  agency_id bigint not null,
  holder_account_id bigint not null,
  business_id bigint,
  application_id bigint,
  lang text not null check (lang in ('ko', 'en')),
  facts jsonb not null,                      -- what the certificate states, as issued
  credential_jwt text not null,              -- the VC, exactly as signed
  kid text not null references issuer_keys (kid),
  status_list integer not null,              -- which of its agency's status lists holds its bit
  status_index integer not null,             -- its bit in that list (both purposes)
  fingerprint text not null,                 -- SHA-256 of the credential, printed on the PDF
  pdf bytea,                                 -- null for a mobile ID, which is shown, not printed
  issued_at timestamptz not null default now(),
  valid_until timestamptz not null,
  unique (agency_id, status_list, status_index)
);
create index certificates_holder_idx on certificates (holder_account_id, issued_at desc);
create unique index certificates_application_idx on certificates (application_id, type_code) where application_id is not null;

-- Revocation and suspension are facts; the status is the latest of them (revocation is final).
create table certificate_status_changes (
  id bigint generated always as identity primary key,
  certificate_id bigint not null references certificates (id),
  action text not null check (action in ('revoke', 'suspend', 'reinstate')),
  reason text not null,
  actor_account_id bigint not null,
  changed_at timestamptz not null default now()
);
create index certificate_status_changes_cert_idx on certificate_status_changes (certificate_id, id);

create table certificate_verifications (
  id bigint generated always as identity primary key,
  certificate_id bigint not null references certificates (id),
  verified_at timestamptz not null default now(),
  channel text not null check (channel in ('page', 'api', 'vc-api', 'mobile-id')),
  verifier_kind text not null check (verifier_kind in ('anonymous', 'resident', 'official', 'machine')),
  outcome text not null check (outcome in ('valid', 'revoked', 'suspended', 'expired', 'invalid'))
);
create index certificate_verifications_cert_idx on certificate_verifications (certificate_id, verified_at desc);

-- Issued certificates, status changes and verifications are records: never changed or removed.
create function documents_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege';
end $$;
create trigger certificates_append_only before update or delete on certificates for each row execute function documents_refuse_change();
create trigger certificate_status_changes_append_only before update or delete on certificate_status_changes for each row execute function documents_refuse_change();
create trigger certificate_verifications_append_only before update or delete on certificate_verifications for each row execute function documents_refuse_change();
create trigger certificates_no_truncate before truncate on certificates for each statement execute function documents_refuse_change();

-- The holder's recorded consent for another account to download a certificate (a bank,
-- a landlord's agent); withdrawn by the holder at any time.
create table certificate_shares (
  certificate_id bigint not null references certificates (id),
  account_id bigint not null,
  granted_at timestamptz not null default now(),
  withdrawn_at timestamptz,
  primary key (certificate_id, account_id)
);
