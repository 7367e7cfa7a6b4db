-- Machine clients (OAuth client credentials) call Nara's APIs for one agency, which is read
-- from the client on every call: one without an agency must never exist.
alter table oidc_clients add constraint oidc_clients_machine_has_agency
  check (not grant_types @> '["client_credentials"]'::jsonb or agency_id is not null);
