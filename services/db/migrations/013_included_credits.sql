-- A credit's transaction in a block is `included`; it is `confirmed` only once CHAIN_CONFIRMATIONS blocks
-- stand on it (or the node calls its block finalized). Until then a reorganisation can take it out again,
-- and the credit goes back to `submitted` to be settled anew. The block's hash is kept so the finality
-- watcher can tell a reorganised block from the one the receipt named.
do $$
declare
  current_check text;
begin
  select pg_get_constraintdef(oid) into strict current_check
  from pg_constraint where conrelid = 'events'::regclass and conname = 'events_status_check';
  alter table events drop constraint events_status_check;
  execute 'alter table events add constraint events_status_check '
    || regexp_replace(current_check, '^CHECK \(', 'CHECK (status = ''included'' OR ');
end
$$;

alter table events add column block_hash text;

-- The finality watcher reads credits by block: the included ones, and those confirmed recently enough that a
-- reorganisation could still take them out.
create index events_in_block on events (block_number, tx_hash) where status in ('included', 'confirmed');
