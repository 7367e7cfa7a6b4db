-- Base registers: households, residents and businesses. Other modules read them
-- through the registry's index.ts (later through exchange, with consent and logging).

create table households (
  id bigint generated always as identity primary key,
  region_code text not null,            -- 5-digit sigungu code
  address_ko text not null,
  address_en text not null,
  postal_code text not null,
  created_at timestamptz not null default now()
);
create index households_region_idx on households (region_code);

create table residents (
  id bigint generated always as identity primary key,
  household_id bigint not null references households (id),
  household_role text not null check (household_role in ('head', 'spouse', 'child', 'parent', 'other')),
  name_ko text not null,
  name_en text not null,
  birth_date date not null,
  sex text not null check (sex in ('M', 'F')),
  national_id_cipher text not null,     -- AES-256-GCM; the number is never stored in clear
  national_id_hash text not null unique, -- keyed hash for lookup
  national_id_masked text not null,     -- 900101-1******, safe to show
  phone text,
  email text,
  created_at timestamptz not null default now()
);
create index residents_household_idx on residents (household_id);

create table businesses (
  id bigint generated always as identity primary key,
  registration_no text not null unique,
  name_ko text not null,
  name_en text not null,
  representative_resident_id bigint not null references residents (id),
  industry_code text not null,
  address_ko text not null,
  address_en text not null,
  opened_on date not null,
  created_at timestamptz not null default now()
);
create index businesses_representative_idx on businesses (representative_resident_id);
