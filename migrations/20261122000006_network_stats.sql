-- Statistics files received from member bureaus (counts only), kept per bureau and year so that
-- the union can print the network's report. A newer file of the same bureau and year replaces
-- the older one.

CREATE TABLE network_stats (
    bureau      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    figures     TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (bureau, year)
);
