-- Payments as credits (migration 013): `included` when the relay's transaction is in a block, `confirmed`
-- once CHAIN_CONFIRMATIONS blocks stand on it (or it is finalized), `submitted` again if a reorganisation
-- takes the block away. The block's hash tells the finality watcher a reorganised block from the receipt's.
alter table payments drop constraint payments_status_check;
alter table payments add constraint payments_status_check
  check (status in ('pending', 'submitted', 'included', 'confirmed', 'failed'));
alter table payments add column block_hash text;
create index payments_in_block on payments (block_number, tx_hash) where status in ('included', 'confirmed');
