-- The GovStack Registration building block API (/govstack/registration) names Nara's
-- records with identifiers of its own. Nara derives one for each record; identifiers that
-- other systems already use for the same record are kept here as aliases.

create table govstack_refs (
  kind text not null check (kind in ('service', 'eform', 'application', 'task', 'main-task', 'applicant', 'operator')),
  external_id text not null,
  internal_ref text not null,            -- e.g. service:building-permit, application:42, account:7
  created_at timestamptz not null default now(),
  primary key (kind, external_id)
);
create index govstack_refs_internal_idx on govstack_refs (kind, internal_ref);

-- Documents uploaded before the application that will reference them exists.
create table govstack_documents (
  id uuid primary key default gen_random_uuid(),
  client text not null,                  -- the Information Mediator client that uploaded it
  filename text not null,
  content_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  content bytea not null,
  metadata text,
  created_at timestamptz not null default now()
);
