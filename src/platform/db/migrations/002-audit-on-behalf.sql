-- Residents see what officials did for them at a counter: find those events quickly.
create index audit_events_on_behalf_idx on audit_events (on_behalf_of_account_id) where on_behalf_of_account_id is not null;
