-- Webhooks: members subscribe to event types; state changes write an outbox row in the same statement as
-- the change itself; a dispatcher turns outbox rows into one BullMQ job per subscription; every attempt is logged.

create table webhook_subscriptions (
  id bigint generated always as identity primary key,
  member_id bigint not null references members (id),
  url text not null check (length(url) <= 2048),
  events text[] not null check (cardinality(events) > 0),
  -- The HMAC key itself, not a hash of it: signing needs it on every delivery. Shown to the member once.
  secret text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index webhook_subscriptions_member on webhook_subscriptions (member_id) where active;

create table webhook_events (
  id bigint generated always as identity primary key,
  type text not null check (type ~ '^[a-z]+\.[a-z_]+$'),
  payload jsonb not null,
  -- The members it concerns: their subscriptions to `type` receive it.
  member_ids bigint[] not null,
  -- Set once its jobs are in the queue; null rows are what the dispatcher still has to do.
  dispatched_at timestamptz,
  created_at timestamptz not null default now()
);
create index webhook_events_undispatched on webhook_events (id) where dispatched_at is null;

create table webhook_deliveries (
  id bigint generated always as identity primary key,
  subscription_id bigint not null references webhook_subscriptions (id),
  event_id bigint not null references webhook_events (id),
  attempt integer not null check (attempt >= 1),
  -- null when no answer came (timeout, refused connection); `error` then says why.
  status_code integer,
  error text,
  duration_ms integer not null,
  started_at timestamptz not null,
  finished_at timestamptz not null default now()
);
create index webhook_deliveries_subscription on webhook_deliveries (subscription_id, id);
