-- /metrics and the console's System tab count the webhook delivery attempts of the last hour that got no 2xx
-- (services/db/metrics.ts, webhookStats): this partial index holds only the failed attempts, by time, so the
-- count reads the recent failures and never the whole delivery log.
create index webhook_deliveries_failed_recent on webhook_deliveries (started_at)
  where status_code is null or status_code not between 200 and 299;
