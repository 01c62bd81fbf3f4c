-- Redemptions as credits and payments (migrations 013, 014): `included` when the vault's transaction is in a
-- block, `confirmed` once CHAIN_CONFIRMATIONS blocks stand on it (or it is finalized), `submitted` again if
-- a reorganisation takes the block away. The retailer's `redemption.paid` webhook waits for confirmation.
alter table redemptions drop constraint redemptions_status_check;
alter table redemptions add constraint redemptions_status_check
  check (status in ('pending', 'submitted', 'included', 'confirmed', 'failed'));
alter table redemptions add column block_hash text;
create index redemptions_in_block on redemptions (block_number, tx_hash) where status in ('included', 'confirmed');
