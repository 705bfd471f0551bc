-- The yearly needs survey: the training topics an office offers for a year and which
-- organisations chose which, ranked to plan the year's trainings.

CREATE TABLE survey_topics (
    id       INTEGER PRIMARY KEY,
    year     INTEGER NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (year, name)
);

CREATE TABLE survey_choices (
    topic_id        INTEGER NOT NULL REFERENCES survey_topics (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (topic_id, organization_id)
);
CREATE INDEX survey_choices_organization ON survey_choices (organization_id);
