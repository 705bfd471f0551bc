-- Advice records (porady) of a citizen-advice bureau, with an editable two-level list of
-- problem categories. A client is a person in the register or an anonymous code; the profile
-- fields (age band, sex, place of residence, returning) are for statistics only.

CREATE TABLE advice_categories (
    code     TEXT PRIMARY KEY,
    parent   TEXT REFERENCES advice_categories (code) ON UPDATE CASCADE,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE advice_records (
    id             INTEGER PRIMARY KEY,
    given_on       TEXT NOT NULL,
    advisor        TEXT NOT NULL,
    person_id      INTEGER REFERENCES people (id) ON DELETE SET NULL,
    client_code    TEXT,
    age_band       TEXT,
    sex            TEXT CHECK (sex IN ('k', 'm')),
    residence      TEXT,
    returning_client INTEGER NOT NULL DEFAULT 0,
    channel        TEXT NOT NULL CHECK (channel IN ('in_person', 'phone', 'email', 'online')),
    minutes        INTEGER,
    description    TEXT,
    outcome        TEXT NOT NULL CHECK (outcome IN ('advice', 'referred', 'letter', 'other')),
    follow_up_on   TEXT,
    follow_up_done INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX advice_records_given ON advice_records (given_on);
CREATE INDEX advice_records_person ON advice_records (person_id, given_on);
CREATE INDEX advice_records_follow_up ON advice_records (follow_up_done, follow_up_on);

CREATE TABLE advice_record_categories (
    advice_id     INTEGER NOT NULL REFERENCES advice_records (id) ON DELETE CASCADE,
    category_code TEXT NOT NULL REFERENCES advice_categories (code) ON UPDATE CASCADE,
    PRIMARY KEY (advice_id, category_code)
);
CREATE INDEX advice_record_categories_code ON advice_record_categories (category_code, advice_id);

INSERT INTO advice_categories (code, parent, name, position) VALUES
    ('MIE', NULL, 'mieszkaniowe', 10),
    ('MIE.NAJ', 'MIE', 'najem lokalu', 11),
    ('MIE.EKS', 'MIE', 'eksmisja', 12),
    ('MIE.DOD', 'MIE', 'dodatek mieszkaniowy', 13),
    ('MIE.WSP', 'MIE', 'wspólnota i spółdzielnia mieszkaniowa', 14),
    ('ROD', NULL, 'rodzinne', 20),
    ('ROD.ALI', 'ROD', 'alimenty', 21),
    ('ROD.ROZ', 'ROD', 'rozwód i separacja', 22),
    ('ROD.WLA', 'ROD', 'władza rodzicielska i kontakty z dzieckiem', 23),
    ('ROD.PRZ', 'ROD', 'przemoc w rodzinie', 24),
    ('PRA', NULL, 'prawo pracy', 30),
    ('PRA.UMO', 'PRA', 'umowa o pracę i umowy cywilnoprawne', 31),
    ('PRA.WYN', 'PRA', 'wynagrodzenie', 32),
    ('PRA.WYP', 'PRA', 'wypowiedzenie i zwolnienie', 33),
    ('PRA.MOB', 'PRA', 'mobbing i dyskryminacja', 34),
    ('ZAB', NULL, 'zabezpieczenie społeczne', 40),
    ('ZAB.EME', 'ZAB', 'emerytury i renty', 41),
    ('ZAB.ZAS', 'ZAB', 'zasiłki (ZUS, KRUS)', 42),
    ('ZAB.NIE', 'ZAB', 'niepełnosprawność i orzecznictwo', 43),
    ('POM', NULL, 'pomoc społeczna', 50),
    ('POM.ZAS', 'POM', 'zasiłki z ośrodka pomocy społecznej', 51),
    ('POM.USL', 'POM', 'usługi opiekuńcze i DPS', 52),
    ('KON', NULL, 'konsumenckie', 60),
    ('KON.REK', 'KON', 'reklamacje i rękojmia', 61),
    ('KON.ODL', 'KON', 'umowy na odległość i poza lokalem', 62),
    ('KON.TEL', 'KON', 'usługi telekomunikacyjne i energia', 63),
    ('ZAD', NULL, 'zadłużenie', 70),
    ('ZAD.KOM', 'ZAD', 'egzekucja komornicza', 71),
    ('ZAD.WIN', 'ZAD', 'windykacja', 72),
    ('ZAD.UPA', 'ZAD', 'upadłość konsumencka', 73),
    ('ZAD.KRE', 'ZAD', 'kredyty i pożyczki', 74),
    ('POD', NULL, 'podatkowe', 80),
    ('ADM', NULL, 'administracyjne', 90),
    ('ADM.MEL', 'ADM', 'meldunek i dokumenty', 91),
    ('ADM.CUD', 'ADM', 'cudzoziemcy', 92),
    ('ZDR', NULL, 'ochrona zdrowia', 100),
    ('CYW', NULL, 'cywilne', 110),
    ('CYW.SPA', 'CYW', 'spadki', 111),
    ('CYW.UMO', 'CYW', 'umowy', 112),
    ('CYW.ODS', 'CYW', 'odszkodowania', 113),
    ('KAR', NULL, 'karne', 120),
    ('INN', NULL, 'inne', 130);
