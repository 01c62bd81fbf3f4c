-- Programs in the operator's console (issue 13): a program's terms (rates, caps, campaigns) change for new events
-- only, each change kept in a history; and whether its token is paused on chain, as the operator last set it.

-- Set from the pause or unpause write that the chain mined (flows/pause-token.ts), so the programs list shows it
-- without a call to the chain per program. paused_tx: the transaction that last paused or unpaused it.
alter table programs add column paused boolean not null default false, add column paused_tx text;

-- Every change of a program's terms: who, the terms before and after (token units, as the API shows them), when.
-- An event keeps the credit it was accepted with (events.credit), so the history tells which terms applied when.
create table program_terms_history (
  id bigint generated always as identity primary key,
  program_id bigint not null references programs (id),
  actor_id bigint not null references members (id),
  before jsonb not null,
  after jsonb not null,
  at timestamptz not null default now()
);
create index program_terms_history_program on program_terms_history (program_id, id);

-- Append-only like the audit log (migration 017's function refuses any change).
create trigger program_terms_history_no_change before update or delete on program_terms_history
  for each row execute function audit_log_refuse_change();
create trigger program_terms_history_no_truncate before truncate on program_terms_history
  for each statement execute function audit_log_refuse_change();
