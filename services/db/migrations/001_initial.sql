-- The system of record for members, programs, collectors and every credit event. Token amounts are
-- uint256 base units: numeric(78,0) holds all of them exactly.

-- Which chain deployment this database belongs to; one row. A database never serves two deployments.
create table deployment (
  singleton boolean primary key default true check (singleton),
  chain_id bigint not null,
  factory text not null,
  deployment_key text not null,
  recorded_at timestamptz not null default now()
);

create table members (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('admin', 'collection_point', 'brand', 'retailer', 'sponsor', 'processor')),
  name text not null check (length(name) between 1 and 200),
  address text,
  -- sha256 of the API key: keys are 32 random bytes, so a fast hash is enough and lookups stay O(1).
  api_key_hash bytea not null unique,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table programs (
  id bigint generated always as identity primary key,
  chain_program_id bigint not null unique,
  token_address text not null unique,
  name text not null,
  symbol text not null,
  kind text not null check (kind in ('recycling', 'loyalty')),
  closed_loop boolean not null,
  redemption_rate numeric(78, 0) not null default 0,
  -- material -> token base units per kg, as decimal strings (recycling programs)
  rates jsonb not null default '{}',
  -- event type -> { fixed, perUnit } and campaigns (loyalty programs)
  rules jsonb not null default '{}',
  -- perEvent, perBeneficiaryDaily, perIssuerDaily in token base units
  caps jsonb not null default '{}',
  created_tx text not null,
  created_at timestamptz not null default now()
);

-- A collection point or brand may issue for a program; a retailer may accept its tokens.
create table program_members (
  program_id bigint not null references programs (id),
  member_id bigint not null references members (id),
  role text not null check (role in ('issuer', 'acceptor')),
  granted_tx text,
  created_at timestamptz not null default now(),
  primary key (program_id, member_id)
);

create table collectors (
  id bigint generated always as identity primary key,
  address text not null unique,
  display_name text,
  registered_by bigint not null references members (id),
  created_at timestamptz not null default now()
);

-- Also the minting outbox: rows in 'pending' are what the mint batcher sends. The id is the on-chain
-- event id, credited at most once ever by the token's bitmap.
create table events (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('collection', 'loyalty')),
  program_id bigint not null references programs (id),
  issuer_id bigint not null references members (id),
  beneficiary text not null,
  collector_id bigint references collectors (id),
  material text,
  grams bigint check (grams > 0),
  loyalty_type text,
  loyalty_value numeric(78, 0),
  campaign text,
  evidence_hash text,
  credit numeric(78, 0) not null check (credit >= 0),
  status text not null check (status in ('pending', 'submitted', 'confirmed', 'held', 'rejected')),
  reasons text[] not null default '{}',
  tx_hash text,
  block_number bigint,
  review_note text,
  reviewed_by bigint references members (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index events_outbox on events (program_id, id) where status in ('pending', 'submitted');
create index events_beneficiary_day on events (program_id, beneficiary, created_at);
create index events_issuer_day on events (program_id, issuer_id, created_at);
create index events_evidence on events (program_id, evidence_hash) where evidence_hash is not null;

-- One answer per (member, Idempotency-Key): the same key and body replay it, another body is refused.
create table idempotency_keys (
  member_id bigint not null references members (id),
  key text not null,
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (member_id, key)
);

-- Every mintBatch transaction the batcher sent, for reconciliation, metrics and the benchmark.
create table mint_batches (
  id bigint generated always as identity primary key,
  program_id bigint not null references programs (id),
  tx_hash text not null unique,
  nonce bigint not null,
  event_count integer not null,
  status text not null check (status in ('submitted', 'confirmed', 'failed')),
  block_number bigint,
  gas_used bigint,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz
);
