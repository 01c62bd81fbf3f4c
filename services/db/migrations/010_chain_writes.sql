-- The operator's transaction outbox: every write the operator's key makes other than mint batches (programs,
-- role grants and revokes, lot certificates, relayed deposits, credit reversals) is a row here, written in
-- the same transaction as the state it serves. One sender per key takes the rows in order, records the hash
-- before broadcasting, and settles each from its receipt or from the chain.
create table chain_writes (
  id bigint generated always as identity primary key,
  kind text not null,
  -- What the write is about (`reversal:7`, `lot:3`): at most one live write per subject, so a retried
  -- request waits for the write already under way instead of sending a second.
  subject text not null,
  payload jsonb not null,
  -- queued: recorded, not signed; submitted: signed, hash recorded, maybe broadcast; confirmed: settled from
  -- a successful receipt (or the chain's state); failed: refused by the chain, `error` says why.
  status text not null default 'queued' check (status in ('queued', 'submitted', 'confirmed', 'failed')),
  signer text,
  tx_hash text,
  nonce bigint,
  block_number bigint,
  result jsonb,
  error text,
  attempts int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index chain_writes_live_subject on chain_writes (kind, subject) where status <> 'failed';
create index chain_writes_open on chain_writes (id) where status in ('queued', 'submitted');
