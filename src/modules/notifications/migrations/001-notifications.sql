-- In-app inbox and the record of every e-mail sent (in development, the mailbox page).

create table notifications (
  id bigint generated always as identity primary key,
  account_id bigint not null,           -- identity.accounts(id)
  template text not null,               -- message key prefix in the catalogue
  params jsonb not null default '{}'::jsonb,
  link text,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_account_idx on notifications (account_id, created_at desc);

create table mail_messages (
  id bigint generated always as identity primary key,
  account_id bigint,
  to_address text not null,
  subject text not null,
  text_body text not null,
  html_body text,
  transport text not null check (transport in ('smtp', 'dev-mailbox')),
  message_id text not null unique,      -- one per outbox job: a retried job never mails twice
  created_at timestamptz not null default now()
);
