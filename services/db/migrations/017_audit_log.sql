-- Operators (issue 13): processors hold a role per program like issuers and acceptors, an open lot can be
-- cancelled, and every admin or operator action is kept in an append-only audit log, written in the
-- transaction of the change it records.

-- A processor may form and confirm lots of a program only where it holds this role.
alter table program_members drop constraint program_members_role_check;
alter table program_members add constraint program_members_role_check check (role in ('issuer', 'acceptor', 'processor'));

-- cancelled: an open lot given up by its processor or an admin; its drop-offs are free to join another lot.
alter table lots drop constraint lots_status_check;
alter table lots add constraint lots_status_check check (status in ('open', 'confirming', 'confirmed', 'cancelled'));
alter table lots add column cancelled_at timestamptz, add column cancelled_by bigint references members (id);
create index lots_processor on lots (processor_id, id);

create table audit_log (
  id bigint generated always as identity primary key,
  -- who: the member whose key made the change
  actor_id bigint not null references members (id),
  -- what: 'member.admit', 'member.deactivate', 'program.grant', 'event.approve', 'lot.cancel', ...
  action text not null check (action ~ '^[a-z]+(\.[a-z-]+)+$'),
  -- on what: 'member:12', 'program:3:member:12', 'event:40', 'lot:7'
  subject text not null,
  before jsonb,
  after jsonb,
  at timestamptz not null default now()
);
create index audit_log_action on audit_log (action, id);
create index audit_log_actor on audit_log (actor_id, id);
create index audit_log_subject on audit_log (subject, id);

-- Append-only: no update, delete or truncate, whoever asks.
create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_log_no_change before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

-- The member lists of the console: by kind and name, newest first.
create index members_kind on members (kind, id);
