-- no-transaction
-- Widen what the foundation allowed, before GitHub intake and the quality loop
-- build on it: projects from GitHub, quality-loop jobs, cancelled jobs, and a
-- JSON payload of kind-specific job parameters (commit to review, PR, ...).
--
-- SQLite cannot alter a CHECK constraint, so both tables are rebuilt the way
-- SQLite documents (https://www.sqlite.org/lang_altertable.html, "other kinds of
-- table schema changes"): foreign keys off outside the transaction, so dropping
-- the old table fires no ON DELETE CASCADE; every row keeps its id.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE projects_widened (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    source_kind TEXT    NOT NULL CHECK (source_kind IN ('local', 'github')),
    -- Canonical absolute path for local projects; `owner/repo` for GitHub.
    source      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (source_kind, source)
);
INSERT INTO projects_widened (id, name, source_kind, source, created_at)
    SELECT id, name, source_kind, source, created_at FROM projects;
DROP TABLE projects;
ALTER TABLE projects_widened RENAME TO projects;

CREATE TABLE jobs_widened (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('review', 'quality')),
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 3,
    run_after    INTEGER NOT NULL,
    last_error   TEXT,
    stage        TEXT,
    files_done   INTEGER,
    files_total  INTEGER,
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER,
    -- Kind-specific parameters as a JSON object (NULL: review the current head).
    payload      TEXT CHECK (payload IS NULL OR json_valid(payload))
);
INSERT INTO jobs_widened (id, kind, project_id, state, attempts, max_attempts, run_after,
                          last_error, stage, files_done, files_total, created_at, started_at,
                          finished_at)
    SELECT id, kind, project_id, state, attempts, max_attempts, run_after, last_error, stage,
           files_done, files_total, created_at, started_at, finished_at
    FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_widened RENAME TO jobs;
CREATE INDEX jobs_queue ON jobs (state, run_after, id);
CREATE INDEX jobs_by_project ON jobs (project_id, id);

COMMIT;
PRAGMA foreign_keys = ON;
