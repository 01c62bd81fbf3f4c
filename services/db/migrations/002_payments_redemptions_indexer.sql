-- Payments (EIP-3009 authorizations a collector signed), redemptions (a retailer's permit to the vault),
-- and what the indexer reads back from the chain.

create table payments (
  id bigint generated always as identity primary key,
  program_id bigint not null references programs (id),
  token text not null,
  payer text not null,
  payee text not null,
  retailer_id bigint not null references members (id),
  value numeric(78, 0) not null check (value > 0),
  valid_after numeric(78, 0) not null,
  valid_before numeric(78, 0) not null,
  nonce text not null,
  signature text not null,
  source text not null check (source in ('online', 'voucher')),
  status text not null check (status in ('pending', 'submitted', 'confirmed', 'failed')),
  failure_reason text,
  tx_hash text,
  block_number bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- An authorization is accepted once: the same nonce again is a replay.
  unique (token, payer, nonce)
);
create index payments_open on payments (id) where status in ('pending', 'submitted');
create index payments_payer_open on payments (program_id, payer) where status in ('pending', 'submitted');
create index payments_payer on payments (payer, id);
create index payments_retailer on payments (retailer_id, id);

create table redemptions (
  id bigint generated always as identity primary key,
  program_id bigint not null references programs (id),
  retailer_id bigint not null references members (id),
  retailer text not null,
  tokens numeric(78, 0) not null check (tokens > 0),
  -- The token's EIP-2612 nonce the permit was signed for: once the token's counter passes it, the permit is spent.
  permit_nonce numeric(78, 0) not null,
  deadline numeric(78, 0) not null,
  signature text not null,
  -- The chain's head at acceptance: a search for this redemption's Redeemed event need not start earlier.
  accepted_block bigint not null,
  status text not null check (status in ('pending', 'submitted', 'confirmed', 'failed')),
  failure_reason text,
  tx_hash text,
  block_number bigint,
  -- From the vault's Redeemed and DepositDrawn events once confirmed; one row per on-chain redemption.
  vault_redemption_id bigint unique,
  gross numeric(78, 0),
  fee numeric(78, 0),
  draws jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One redemption in flight per retailer and program: permits are signed for the token's next nonce.
create unique index redemptions_one_open on redemptions (program_id, retailer_id) where status in ('pending', 'submitted');
create index redemptions_retailer on redemptions (retailer_id, id);
create index redemptions_open on redemptions (id) where status in ('pending', 'submitted');

-- Every log of the network's contracts, as the chain says it (unique per block hash and log index).
create table chain_events (
  block_number bigint not null,
  block_hash text not null,
  log_index integer not null,
  tx_hash text not null,
  address text not null,
  contract text not null check (contract in ('factory', 'vault', 'token')),
  name text not null,
  args jsonb not null,
  primary key (block_hash, log_index)
);
create index chain_events_name on chain_events (name, block_number);
create index chain_events_address on chain_events (address, block_number);
create index chain_events_tx on chain_events (tx_hash);

create table indexer_checkpoint (
  singleton boolean primary key default true check (singleton),
  block_number bigint not null,
  block_hash text not null,
  updated_at timestamptz not null default now()
);
