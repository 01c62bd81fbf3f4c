-- The operator's writes (deposits, reversals, programs, grants, certificates) as credits, payments and
-- redemptions (migrations 013-015): `included` when the transaction is in a block, `confirmed` once
-- CHAIN_CONFIRMATIONS blocks stand on it (or it is finalized), `submitted` again if a reorganisation takes the
-- block away, to be settled anew from the chain and sent again if it is gone.
alter table chain_writes drop constraint chain_writes_status_check;
alter table chain_writes add constraint chain_writes_status_check
  check (status in ('queued', 'submitted', 'included', 'confirmed', 'failed'));
alter table chain_writes add column block_hash text;
create index chain_writes_in_block on chain_writes (block_number, tx_hash) where status in ('included', 'confirmed');

-- A reversal follows its write: the credit.reversed webhook waits for confirmation.
alter table reversals drop constraint reversals_status_check;
alter table reversals add constraint reversals_status_check
  check (status in ('pending', 'submitted', 'included', 'confirmed', 'failed'));
