-- Every transaction a sender signs, kept with its signed bytes before it is broadcast: the first one at a nonce
-- and each replacement of it (same nonce, higher fees). The rows of every outbox (events and mint_batches,
-- chain_writes, payments, redemptions) keep naming the hash they recorded first, `original_hash` here; whichever
-- transaction of that family mined is the one that counts, so recovery looks for all of them. The raw bytes let
-- a sender broadcast the very same transaction again when a node dropped it and its nonce holds up the key.
create table signed_transactions (
  -- Signing order: the newest of a nonce is the one to broadcast again.
  id bigint generated always as identity primary key,
  hash text not null unique,
  signer text not null,
  nonce bigint not null,
  original_hash text not null,
  -- The signed transaction as broadcast (eth_sendRawTransaction's bytes).
  raw bytea not null,
  max_fee_per_gas numeric(78, 0) not null,
  max_priority_fee_per_gas numeric(78, 0) not null,
  created_at timestamptz not null default now()
);

create index signed_transactions_family on signed_transactions (original_hash);
create index signed_transactions_nonce on signed_transactions (signer, nonce);
