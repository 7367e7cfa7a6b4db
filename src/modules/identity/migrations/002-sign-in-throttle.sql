-- Failed sign-ins, counted per username and per client address, for growing waits
-- and temporary locks. Rows expire by time; a success clears the username's row.
create table sign_in_throttle (
  key text primary key,                 -- 'user:<username>' or 'ip:<address>'
  failures integer not null,
  last_failure_at timestamptz not null,
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  lock_notified_at timestamptz
);
create index sign_in_throttle_last_failure_idx on sign_in_throttle (last_failure_at);
