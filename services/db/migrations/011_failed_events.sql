-- `failed`: an event the mint batcher found its token refusing (a credit that overflows the supply, say),
-- checked with the node before sending. It leaves the outbox, so it never blocks the events behind it, and
-- keeps the decoded reason for an admin to retry it (back to pending) or reject it. The check is rebuilt
-- from the one in place, as 008 does, so statuses other migrations added are kept.
do $$
declare
  current_check text;
begin
  select pg_get_constraintdef(oid) into strict current_check
  from pg_constraint where conrelid = 'events'::regclass and conname = 'events_status_check';
  alter table events drop constraint events_status_check;
  execute 'alter table events add constraint events_status_check '
    || regexp_replace(current_check, '^CHECK \(', 'CHECK (status = ''failed'' OR ');
end
$$;

alter table events
  add column failure_code text,
  add column failure_reason text,
  add column failed_at timestamptz;

-- The admins' list of failed events, by program, and the failed count /metrics reads at every scrape.
create index events_failed on events (program_id, id) where status = 'failed';
