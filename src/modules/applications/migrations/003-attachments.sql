-- Documents attached to an application. Kept in the database so that every instance, and
-- a backup, has them; a deployment that outgrows this moves `content` to object storage.
-- An attachment is never deleted: removing one from a draft marks it removed.

create table application_attachments (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  document text not null,                -- the required document it answers (its index), or 'other'
  filename text not null,
  content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer not null check (size_bytes > 0),
  sha256 text not null,
  content bytea not null,
  scan_status text not null default 'pending' check (scan_status in ('pending', 'clean', 'infected', 'unscanned')),
  scanned_at timestamptz,
  uploaded_by bigint not null,           -- identity.accounts(id)
  created_at timestamptz not null default now(),
  removed_at timestamptz
);
create index application_attachments_application_idx on application_attachments (application_id) where removed_at is null;
