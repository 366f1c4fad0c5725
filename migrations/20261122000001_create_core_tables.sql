-- Projects, the job queue, reviews with their verdicts and findings.
-- Timestamps are unix seconds (UTC).

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    source_kind TEXT    NOT NULL CHECK (source_kind IN ('local')),
    -- Canonical absolute path for local projects.
    source      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (source_kind, source)
);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('review')),
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    -- A queued job is not picked before this time (retry backoff).
    run_after    INTEGER NOT NULL,
    last_error   TEXT,
    -- Free-form progress of a running job: stage and files done of total.
    stage        TEXT,
    files_done   INTEGER,
    files_total  INTEGER,
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER
);
CREATE INDEX jobs_queue ON jobs (state, run_after, id);
CREATE INDEX jobs_by_project ON jobs (project_id, id);

CREATE TABLE reviews (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- One review per job: a job re-run after a crash replaces its review.
    job_id          INTEGER NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
    commit_sha      TEXT,
    scoring_version INTEGER NOT NULL,
    score           INTEGER NOT NULL,
    grade           TEXT    NOT NULL,
    files_scanned   INTEGER NOT NULL,
    files_skipped   INTEGER NOT NULL,
    -- JSON array of {"language", "files"}.
    languages       TEXT    NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL
);
CREATE INDEX reviews_by_project ON reviews (project_id, finished_at DESC, id DESC);

CREATE TABLE review_categories (
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    category  TEXT    NOT NULL,
    score     INTEGER,
    PRIMARY KEY (review_id, category)
);

CREATE TABLE check_results (
    review_id INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    check_id  TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    category  TEXT    NOT NULL,
    verdict   TEXT    NOT NULL CHECK (verdict IN ('pass', 'fail', 'not_applicable', 'not_checked', 'could_not_run')),
    summary   TEXT    NOT NULL,
    -- JSON array of {"path", "line", "note"}.
    evidence  TEXT    NOT NULL,
    PRIMARY KEY (review_id, check_id)
);

CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    check_id    TEXT    NOT NULL,
    severity    TEXT    NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    path        TEXT    NOT NULL,
    line        INTEGER NOT NULL,
    end_line    INTEGER NOT NULL,
    snippet     TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    -- Against the previous review of the same project.
    status      TEXT    NOT NULL CHECK (status IN ('new', 'unchanged'))
);
CREATE INDEX findings_by_review ON findings (review_id, path, line);
