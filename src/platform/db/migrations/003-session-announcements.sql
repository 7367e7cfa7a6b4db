-- Each instance keeps recently read sessions in memory. Whatever ends or changes one (sign-out,
-- a password change ending the others, a device removed from the account page, new session
-- data) is announced here, from any instance or tool, so that every instance forgets it at
-- once. Seeing a session again (last_seen_at) is not a change worth announcing.
create function announce_session_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or old.account_id is distinct from new.account_id or old.data is distinct from new.data or old.expires_at is distinct from new.expires_at then
    perform pg_notify('nara_session_changed', old.id);
  end if;
  return null;
end;
$$;
create trigger sessions_announce_change after update or delete on sessions for each row execute function announce_session_change();
