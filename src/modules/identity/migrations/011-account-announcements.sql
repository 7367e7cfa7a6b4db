-- Each instance keeps the signed-in account's name and standing for a few seconds. A change to
-- either (a suspension, a new display name) is announced so that every instance forgets it at once.
create function announce_account_change() returns trigger language plpgsql as $$
begin
  if old.status is distinct from new.status or old.display_name is distinct from new.display_name or old.kind is distinct from new.kind then
    perform pg_notify('nara_account_changed', new.id::text);
  end if;
  return null;
end;
$$;
create trigger accounts_announce_change after update on accounts for each row execute function announce_account_change();
