-- Balances and histories are read from the indexed Transfer logs by the holder's address (either side), and
-- a collector's payments by payee as well as payer, its credits by beneficiary: without these every read scans.
create index chain_events_transfer_to on chain_events ((args->>'to'), block_number) where name = 'Transfer';
create index chain_events_transfer_from on chain_events ((args->>'from'), block_number) where name = 'Transfer';
create index payments_payee on payments (payee, id);
create index events_beneficiary on events (beneficiary, id);
