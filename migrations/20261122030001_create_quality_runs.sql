-- The quality loop: one run per `quality` job (the project's own lint,
-- type-check and tests on the commit of a review), and its steps.
CREATE TABLE quality_runs (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    job_id      INTEGER NOT NULL UNIQUE REFERENCES jobs (id) ON DELETE CASCADE,
    -- The review whose LOOP-* verdicts this run decided (NULL when it is gone).
    review_id   INTEGER REFERENCES reviews (id) ON DELETE SET NULL,
    commit_sha  TEXT,
    state       TEXT    NOT NULL CHECK (state IN ('finished', 'cancelled', 'could_not_run')),
    note        TEXT,
    sandbox     TEXT    NOT NULL CHECK (sandbox IN ('bubblewrap', 'off')),
    network     TEXT    NOT NULL CHECK (network IN ('none', 'registries')),
    -- [{"check_id", "verdict", "summary"}] for LOOP-LINT, LOOP-TYPECHECK, LOOP-TESTS.
    verdicts    TEXT    NOT NULL CHECK (json_valid(verdicts)),
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX quality_runs_by_project ON quality_runs (project_id, finished_at, id);

CREATE TABLE quality_steps (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES quality_runs (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('prepare', 'lint', 'typecheck', 'tests')),
    ecosystem     TEXT    NOT NULL,
    tool          TEXT    NOT NULL,
    command       TEXT    NOT NULL,
    verdict       TEXT    NOT NULL CHECK (verdict IN ('pass', 'fail', 'not_applicable', 'not_checked', 'could_not_run')),
    summary       TEXT    NOT NULL,
    duration_ms   INTEGER NOT NULL,
    exit_code     INTEGER,
    timed_out     INTEGER NOT NULL CHECK (timed_out IN (0, 1)),
    diagnostics   TEXT    NOT NULL CHECK (json_valid(diagnostics)),
    tests         TEXT    CHECK (tests IS NULL OR json_valid(tests)),
    failing_tests TEXT    NOT NULL CHECK (json_valid(failing_tests)),
    flaky_tests   TEXT    NOT NULL CHECK (json_valid(flaky_tests)),
    -- Captured stdout/stderr, at most ~256 KB (head and tail kept).
    log           TEXT    NOT NULL,
    log_cut_bytes INTEGER NOT NULL,
    UNIQUE (run_id, position)
);
