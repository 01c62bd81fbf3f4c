-- The country a program runs in (ISO 3166-1 alpha-2): phone numbers written locally (0812…, 0917…) for its drop-offs
-- are read with its numbering plan. Every program before this ran in Indonesia.
alter table programs add column phone_country text not null default 'ID' check (phone_country ~ '^[A-Z]{2}$');
