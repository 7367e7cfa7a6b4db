-- Applications and their processing steps (Minwon24 / OPEN). Steps are facts: inserted,
-- never changed or removed, by anyone, through any path that goes through this database.
-- The application row carries a projection of its steps (status, department, deadline)
-- for the work queues; it is rewritten from the steps in the same transaction as each step.

create table holidays (
  day date primary key,
  name_ko text not null,
  name_en text not null
);

-- Korean public holidays for the demo years, substitute holidays included. Operators add
-- and correct days with `npm run nara -- holiday …`.
insert into holidays (day, name_ko, name_en) values
  ('2026-01-01', '신정', 'New Year''s Day'),
  ('2026-02-16', '설날 연휴', 'Seollal holiday'),
  ('2026-02-17', '설날', 'Seollal'),
  ('2026-02-18', '설날 연휴', 'Seollal holiday'),
  ('2026-03-02', '삼일절 대체공휴일', 'Independence Movement Day (substitute)'),
  ('2026-05-05', '어린이날', 'Children''s Day'),
  ('2026-05-25', '부처님오신날 대체공휴일', 'Buddha''s Birthday (substitute)'),
  ('2026-06-03', '전국동시지방선거일', 'Local elections'),
  ('2026-08-17', '광복절 대체공휴일', 'Liberation Day (substitute)'),
  ('2026-09-24', '추석 연휴', 'Chuseok holiday'),
  ('2026-09-25', '추석', 'Chuseok'),
  ('2026-10-05', '개천절 대체공휴일', 'National Foundation Day (substitute)'),
  ('2026-10-09', '한글날', 'Hangeul Day'),
  ('2026-12-25', '기독탄신일', 'Christmas Day'),
  ('2027-01-01', '신정', 'New Year''s Day'),
  ('2027-02-08', '설날 연휴', 'Seollal holiday'),
  ('2027-02-09', '설날 대체공휴일', 'Seollal (substitute)'),
  ('2027-03-01', '삼일절', 'Independence Movement Day'),
  ('2027-05-05', '어린이날', 'Children''s Day'),
  ('2027-05-13', '부처님오신날', 'Buddha''s Birthday'),
  ('2027-08-16', '광복절 대체공휴일', 'Liberation Day (substitute)'),
  ('2027-09-14', '추석 연휴', 'Chuseok holiday'),
  ('2027-09-15', '추석', 'Chuseok'),
  ('2027-09-16', '추석 연휴', 'Chuseok holiday'),
  ('2027-10-04', '개천절 대체공휴일', 'National Foundation Day (substitute)'),
  ('2027-10-11', '한글날 대체공휴일', 'Hangeul Day (substitute)'),
  ('2027-12-27', '기독탄신일 대체공휴일', 'Christmas Day (substitute)');

create sequence application_receipt_seq;

create table applications (
  id bigint generated always as identity primary key,
  receipt_no text unique,                -- given at the first submission
  service_id bigint not null,            -- catalogue.services(id)
  service_version integer not null,      -- the version it is filed under, for good
  agency_id bigint not null,             -- identity.agencies(id); the distribution key at scale
  department_id bigint not null,         -- the department holding it now
  applicant_account_id bigint not null,  -- identity.accounts(id)
  business_id bigint,                    -- registry.businesses(id) when filed for a business
  answers jsonb not null default '{}'::jsonb,
  status text not null default 'draft',
  assignee_account_id bigint,
  submitted_at timestamptz,
  due_date date,
  decided_at timestamptz,
  escalated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index applications_applicant_idx on applications (applicant_account_id, created_at desc);
create index applications_queue_idx on applications (department_id, status, due_date);
create index applications_service_idx on applications (service_id, submitted_at);

create table application_steps (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  seq integer not null,                  -- 1, 2, …: two officials acting at once cannot both be next
  action text not null,
  status_after text not null,
  actor_kind text not null check (actor_kind in ('applicant', 'official', 'system')),
  actor_account_id bigint,
  actor_name text,                       -- name and position as shown when the step was taken
  assisted_by_account_id bigint,         -- an official at a counter acting for the applicant
  department_id bigint,                  -- where the step happened
  note text,                             -- reason, or what a supplement request asks for
  details jsonb not null default '{}'::jsonb,
  recorded_at timestamptz not null default now(),
  unique (application_id, seq)
);

create function application_steps_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'processing steps are append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger application_steps_no_change before update or delete on application_steps
  for each row execute function application_steps_append_only();
create trigger application_steps_no_truncate before truncate on application_steps
  for each statement execute function application_steps_append_only();
