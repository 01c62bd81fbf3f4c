-- Provenance (issue 5): a recycling program may hold back part of each drop-off's credit as a bonus, paid
-- when a processor confirms the lot the drop-off went into; a confirmed lot is certified on chain
-- (LotCertificate) with the Merkle root of its collection event ids.

-- The share of each drop-off's credit held as bonus, in basis points; 0 pays everything at once.
alter table programs add column bonus_share_bps integer not null default 0
  check (bonus_share_bps between 0 and 10000);

create table lots (
  id bigint generated always as identity primary key,
  program_id bigint not null references programs (id),
  processor_id bigint not null references members (id),
  material text not null,
  grams bigint not null check (grams > 0),
  -- open: grouped, not confirmed; confirming: bonuses written and the certificate being sent; confirmed: on chain.
  status text not null check (status in ('open', 'confirming', 'confirmed')),
  merkle_root text,
  tx_hash text,
  block_number bigint,
  created_at timestamptz not null default now(),
  confirmed_at timestamptz
);

-- `bonus` is what a collection holds back until its lot is confirmed; `lot_id` the lot it went into (one
-- lot at most). A paid bonus is an event of its own (kind 'bonus', `bonus_of` the collection): it gets
-- its own sequential id, so the token's event-id bitmap credits it exactly once like any other event.
alter table events
  add column bonus numeric(78, 0) not null default 0 check (bonus >= 0),
  add column lot_id bigint references lots (id),
  add column bonus_of bigint references events (id);
create index events_lot on events (lot_id, id) where lot_id is not null;
create unique index events_one_bonus on events (bonus_of) where bonus_of is not null;

-- `bonus` joins the kinds; rebuilt from the check in place so a kind another migration added is kept.
do $$
declare
  current_check text;
begin
  select pg_get_constraintdef(oid) into strict current_check
  from pg_constraint where conrelid = 'events'::regclass and conname = 'events_kind_check';
  alter table events drop constraint events_kind_check;
  execute 'alter table events add constraint events_kind_check '
    || regexp_replace(current_check, '^CHECK \(', 'CHECK (kind = ''bonus'' OR ');
end
$$;
alter table events add constraint events_bonus_of check ((kind = 'bonus') = (bonus_of is not null));
