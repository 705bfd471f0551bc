-- An anonymous client's advice is found by its code (the search box, and "returning client":
-- earlier advice with the same code), so the code is indexed like the person link.
CREATE INDEX advice_records_client_code ON advice_records (client_code, given_on);
