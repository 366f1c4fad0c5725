-- The route map of each review: the web frameworks detected and every HTTP
-- route, with whether it is authenticated, validates its input and is rate
-- limited (and the guard, schema or limiter that decided it).
CREATE TABLE review_frameworks (
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    language  TEXT    NOT NULL,
    path      TEXT    NOT NULL,
    line      INTEGER,
    source    TEXT    NOT NULL,
    PRIMARY KEY (review_id, position)
);

CREATE TABLE review_routes (
    id            INTEGER PRIMARY KEY,
    review_id     INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    method        TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    handler       TEXT    NOT NULL,
    file          TEXT    NOT NULL,
    line          INTEGER NOT NULL,
    framework     TEXT    NOT NULL,
    -- JSON array of strings, outermost first.
    middleware    TEXT    NOT NULL DEFAULT '[]',
    auth          TEXT    NOT NULL CHECK (auth IN ('yes', 'no', 'unknown', 'not_applicable')),
    auth_by       TEXT    NOT NULL,
    validation    TEXT    NOT NULL CHECK (validation IN ('yes', 'no', 'unknown', 'not_applicable')),
    validation_by TEXT    NOT NULL,
    rate_limit    TEXT    NOT NULL CHECK (rate_limit IN ('yes', 'no', 'unknown', 'not_applicable')),
    rate_limit_by TEXT    NOT NULL,
    UNIQUE (review_id, position)
);
