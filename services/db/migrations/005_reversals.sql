-- Corrections: an admin reverses a confirmed credit (a mistaken weighing) and the operator claws the tokens
-- back on chain with RewardToken.reverseCredit.
--
-- The event keeps its status ('confirmed'): its tokens were minted, and that stays true and stays in the
-- history. The reversal is a second movement with a row of its own, so the mint outbox, the caps and every
-- read of `events` keep their meaning, and a reversal has room for what only it has (reason, burned,
-- shortfall, its own transaction).
create table reversals (
  id bigint generated always as identity primary key,
  event_id bigint not null references events (id),
  program_id bigint not null references programs (id),
  -- The credited wallet (the event's beneficiary), whose tokens are burned.
  holder text not null,
  reason text not null check (length(reason) between 1 and 500),
  requested_by bigint not null references members (id),
  -- The event's credit; burned + shortfall = amount once confirmed (from the CreditReversed log).
  amount numeric(78, 0) not null check (amount >= 0),
  burned numeric(78, 0),
  shortfall numeric(78, 0),
  -- pending: claimed, not sent; submitted: tx hash known before broadcast; failed: may be tried again.
  status text not null check (status in ('pending', 'submitted', 'confirmed', 'failed')),
  failure_reason text,
  tx_hash text,
  block_number bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One live reversal per event (the token refuses a second one anyway); a failed attempt does not count.
create unique index reversals_one_per_event on reversals (event_id) where status <> 'failed';
create index reversals_holder on reversals (holder, id);
