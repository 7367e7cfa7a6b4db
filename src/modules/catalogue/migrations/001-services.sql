-- The service catalogue: each service an agency offers, in versions. An application keeps
-- the version it was filed under, so a published version is never changed: editing a
-- service writes a new draft version, and publishing it makes it the one people apply to.

create table services (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{2,59}$'),
  agency_id bigint not null,             -- identity.agencies(id); the distribution key at scale
  created_at timestamptz not null default now()
);
create index services_agency_idx on services (agency_id);

create table service_versions (
  service_id bigint not null references services (id),
  version integer not null check (version >= 1),
  department_id bigint not null,         -- identity.departments(id): responsible department
  name_ko text not null,
  name_en text not null,
  summary_ko text not null,
  summary_en text not null,
  applicant_kinds text[] not null check (applicant_kinds <@ array['resident', 'business'] and cardinality(applicant_kinds) > 0),
  legal_basis_ko text not null,
  legal_basis_en text not null,
  documents jsonb not null default '[]'::jsonb,   -- [{ ko, en }]
  fee_minor bigint not null default 0 check (fee_minor >= 0),
  currency text not null default 'KRW',
  period_days integer not null check (period_days between 0 and 365),   -- statutory, in working days
  steps jsonb not null default '[]'::jsonb,       -- the standard processing steps: [{ ko, en }]
  form jsonb not null,                            -- { schema, sections }: see service-form.ts
  rules jsonb,                                    -- automatic decision rules, or null
  created_by bigint,                              -- identity.accounts(id); null for demo data
  created_at timestamptz not null default now(),
  published_at timestamptz,
  primary key (service_id, version)
);
create index service_versions_published_idx on service_versions (service_id, version desc) where published_at is not null;

-- A published version is a fact applications point at.
create function service_versions_freeze() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.published_at is not null then
      raise exception 'a published service version cannot be deleted' using errcode = 'integrity_constraint_violation';
    end if;
    return old;
  end if;
  if old.published_at is not null then
    raise exception 'a published service version cannot be changed' using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end $$;
create trigger service_versions_freeze before update or delete on service_versions
  for each row execute function service_versions_freeze();
