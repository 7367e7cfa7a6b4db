-- E-mail delivery also keeps an account's address and language for a few seconds: a change to
-- either is announced too, so that the next message goes to the new address at once.
create or replace function announce_account_change() returns trigger language plpgsql as $$
begin
  if old.status is distinct from new.status or old.display_name is distinct from new.display_name or old.kind is distinct from new.kind
     or old.email is distinct from new.email or old.locale is distinct from new.locale then
    perform pg_notify('nara_account_changed', new.id::text);
  end if;
  return null;
end;
$$;
