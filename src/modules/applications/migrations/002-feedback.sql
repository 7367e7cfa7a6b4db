-- Applicants' feedback after a decision, the source of the integrity index together with
-- the processing record. Published only in aggregate; what a person wrote is never shown
-- with their name, and the improper-request detail goes to the agency's auditors.

create table application_feedback (
  application_id bigint primary key references applications (id),
  satisfaction smallint not null check (satisfaction between 1 and 5),
  improper_request boolean not null,     -- was anything improper asked for (money, gifts, favours)?
  improper_detail text,
  comment text,
  created_at timestamptz not null default now()
);
