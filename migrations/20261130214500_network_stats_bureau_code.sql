-- Statistics files are kept per bureau code and year, no longer per office name: a file carries
-- the code its bureau's database made once (meta 'bureau_code'), so one bureau's file cannot
-- replace another's by carrying its office name. Files from before the code (and the rows they
-- made) are keyed 'bez-kodu:' || office name, a space no code can reach (codes have no ':').

CREATE TABLE network_stats_by_code (
    bureau_key  TEXT NOT NULL,
    bureau      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    figures     TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (bureau_key, year)
);

INSERT INTO network_stats_by_code (bureau_key, bureau, year, figures, imported_at)
    SELECT 'bez-kodu:' || bureau, bureau, year, figures, imported_at FROM network_stats;

DROP TABLE network_stats;

ALTER TABLE network_stats_by_code RENAME TO network_stats;
