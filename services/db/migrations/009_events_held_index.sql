-- /metrics counts held events at every scrape (every few seconds); without this they would be a scan of
-- every event ever accepted. Pending and submitted events are already covered by events_outbox.
create index events_held on events (id) where status = 'held';
