-- The search box looks an anonymous client's code up with dashes and case ignored
-- (store/sqlite/daily.rs, advice_by_client_code). Without an index on that form every
-- identifier-like keystroke ("123", "123-") read all advice records: 20-50 ms of a 10 ms budget.
CREATE INDEX advice_records_client_code_key ON advice_records (upper(replace(client_code, '-', '')));
