-- Every API process keeps the members it has seen by key hash (services/api/plugins/member-keys.ts): a change to a
-- member (a key rotated, a member deactivated, by a route or by hand in psql) tells them all at commit, on the
-- channel `member_keys`, so a refused key is refused from the next request on in every process.
create function notify_member_keys() returns trigger language plpgsql as $$
begin
  perform pg_notify('member_keys', coalesce(new.id, old.id)::text);
  return null;
end
$$;
create trigger members_notify_keys after update or delete on members
  for each row execute function notify_member_keys();
