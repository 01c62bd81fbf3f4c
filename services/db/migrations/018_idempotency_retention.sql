-- Idempotency keys are kept IDEMPOTENCY_KEY_TTL_HOURS (default 168: 7 days), then the operator process purges
-- them in batches, oldest first (services/engines/idempotency-purger.ts): this index finds them without a scan.
create index idempotency_keys_created_at on idempotency_keys (created_at);
