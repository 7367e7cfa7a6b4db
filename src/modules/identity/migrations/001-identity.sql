-- Agencies, their departments, accounts (residents and officials) and roles.

create table agencies (
  id bigint generated always as identity primary key,
  code text not null unique,
  parent_id bigint references agencies (id),
  kind text not null check (kind in ('central', 'metropolitan', 'district', 'public-institution')),
  name_ko text not null,
  name_en text not null,
  phone text not null,
  email text not null,
  address_ko text not null,
  address_en text not null,
  website text,
  created_at timestamptz not null default now()
);

create table departments (
  id bigint generated always as identity primary key,
  agency_id bigint not null references agencies (id),
  code text not null,
  name_ko text not null,
  name_en text not null,
  phone text not null,
  created_at timestamptz not null default now(),
  unique (agency_id, code)
);

create table accounts (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('resident', 'official')),
  username text not null unique,
  display_name text not null,
  email text,
  phone text,
  locale text not null default 'ko' check (locale in ('ko', 'en')),
  password_hash text,
  resident_id bigint,            -- registry.residents(id); no cross-module foreign key
  agency_id bigint references agencies (id),
  department_id bigint references departments (id),
  status text not null default 'active' check (status in ('active', 'suspended')),
  created_at timestamptz not null default now(),
  check (kind <> 'official' or agency_id is not null)
);
create unique index accounts_resident_idx on accounts (resident_id) where resident_id is not null;

create table account_roles (
  account_id bigint not null references accounts (id),
  role text not null check (role in ('clerk', 'approver', 'head-of-department', 'agency-admin', 'auditor', 'platform-operator')),
  agency_id bigint not null references agencies (id),
  granted_at timestamptz not null default now(),
  primary key (account_id, role, agency_id)
);
