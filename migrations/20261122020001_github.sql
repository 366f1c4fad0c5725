-- GitHub intake: repository facts per project, the quality gate posted as a
-- commit status, webhook deliveries already seen, the ETag cache and the API
-- budget. No secret is stored here: tokens and the webhook secret live only in
-- the process's settings.

-- Facts about a GitHub project's repository (projects.source is `owner/repo`).
CREATE TABLE github_repositories (
    project_id     INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    default_branch TEXT    NOT NULL,
    html_url       TEXT    NOT NULL,
    private        INTEGER NOT NULL DEFAULT 0,
    archived       INTEGER NOT NULL DEFAULT 0,
    -- Head of the default branch at the last review (nightly re-reviews skip
    -- when it has not moved).
    last_head_sha  TEXT
);

-- Per-project quality gate deciding the commit status.
CREATE TABLE quality_gates (
    project_id       INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    -- The lowest grade that passes (A best, F worst).
    min_grade        TEXT    NOT NULL DEFAULT 'C' CHECK (min_grade IN ('A', 'B', 'C', 'D', 'F')),
    -- Fail when the commit brings new critical/high findings against its base.
    fail_on_new_high INTEGER NOT NULL DEFAULT 1 CHECK (fail_on_new_high IN (0, 1))
);

-- X-GitHub-Delivery ids already accepted: a redelivery enqueues nothing.
CREATE TABLE webhook_deliveries (
    delivery_id TEXT    PRIMARY KEY,
    event       TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    -- What came of it: 'queued', 'ignored: ...'.
    outcome     TEXT    NOT NULL,
    job_id      INTEGER REFERENCES jobs (id) ON DELETE SET NULL
);

-- Conditional requests: the last ETag and body of each GET.
CREATE TABLE github_etags (
    url        TEXT    PRIMARY KEY,
    etag       TEXT    NOT NULL,
    body       BLOB    NOT NULL,
    fetched_at INTEGER NOT NULL
);

-- The API budget and how well the ETag cache does (one row).
CREATE TABLE github_api_stats (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    requests         INTEGER NOT NULL DEFAULT 0,
    conditional      INTEGER NOT NULL DEFAULT 0,
    not_modified     INTEGER NOT NULL DEFAULT 0,
    retries          INTEGER NOT NULL DEFAULT 0,
    rate_limit       INTEGER,
    rate_remaining   INTEGER,
    rate_reset       INTEGER,
    updated_at       INTEGER
);
INSERT INTO github_api_stats (id) VALUES (1);

-- Commit statuses posted, so the review page can say what GitHub was told.
CREATE TABLE github_statuses (
    review_id   INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    target_url  TEXT,
    posted_at   INTEGER NOT NULL,
    error       TEXT
);
