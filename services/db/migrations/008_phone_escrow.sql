-- Collectors without a smartphone (issue 5). The escrow is off chain: a phone-only collector's drop-offs
-- are recorded `escrowed` and nothing is minted until a wallet claims them, so no tokens ever sit in a
-- custodial address. The number itself is stored nowhere: only phone_key, an HMAC-SHA256 keyed by
-- PHONE_SALT (services/core/phone.ts).
create table phone_collectors (
  id bigint generated always as identity primary key,
  phone_key text not null unique check (phone_key ~ '^[0-9a-f]{64}$'),
  display_name text,
  registered_by bigint not null references members (id),
  -- Set once, by a successful claim; later drop-offs by phone are credited to it directly.
  claimed_wallet text,
  claimed_at timestamptz,
  created_at timestamptz not null default now()
);

-- One-time codes a collection point reads to the collector; only an HMAC of the code is kept.
create table claim_codes (
  id bigint generated always as identity primary key,
  phone_collector_id bigint not null references phone_collectors (id),
  code_hash text not null,
  issued_by bigint not null references members (id),
  expires_at timestamptz not null,
  attempts integer not null default 0 check (attempts >= 0),
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index claim_codes_open on claim_codes (phone_collector_id, id) where used_at is null;

-- `escrowed` joins the statuses. The check is rebuilt from the one in place rather than restated, so a
-- status another migration added before this one is kept.
do $$
declare
  current_check text;
begin
  select pg_get_constraintdef(oid) into strict current_check
  from pg_constraint where conrelid = 'events'::regclass and conname = 'events_status_check';
  alter table events drop constraint events_status_check;
  execute 'alter table events add constraint events_status_check '
    || regexp_replace(current_check, '^CHECK \(', 'CHECK (status = ''escrowed'' OR ');
end
$$;

-- An escrowed event's beneficiary is the placeholder 'phone:<phone_key>' (beneficiary stays not null, and
-- every reader keyed by address simply never matches it). The placeholder may only be escrowed, held
-- or rejected: the mint batcher, which takes `pending` rows, can never be handed one.
alter table events add constraint events_escrow_beneficiary check (
  (beneficiary like 'phone:%') = (status = 'escrowed')
  or (beneficiary like 'phone:%' and status in ('held', 'rejected'))
);
create index events_escrow on events (beneficiary) where beneficiary like 'phone:%';
