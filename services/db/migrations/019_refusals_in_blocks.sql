-- A payment or redemption refused by a receipt (skipped for the balance, an expired authorization) is refused
-- by that block: the finality watcher follows such rows as it follows included ones, and settles them anew when
-- a reorganisation takes the block away. Their block's hash is kept from now on; these indexes serve the
-- watcher's predicate (services/db/finality.ts).
drop index payments_in_block;
create index payments_in_block on payments (block_number, tx_hash)
  where (status in ('included', 'confirmed') or (status = 'failed' and block_hash is not null));
drop index redemptions_in_block;
create index redemptions_in_block on redemptions (block_number, tx_hash)
  where (status in ('included', 'confirmed') or (status = 'failed' and block_hash is not null));
