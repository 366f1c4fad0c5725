-- Trends and the weekly review read years of history; these keep them cheap.
--
-- Per review, how many findings it opened (fingerprint not in the previous
-- review of the project) and fixed (fingerprint of the previous review gone),
-- counted once when the review is stored instead of on every page view.
ALTER TABLE reviews ADD COLUMN opened_findings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN fixed_findings INTEGER NOT NULL DEFAULT 0;

-- The day (YYYY-MM-DD) a `.backlens.toml` suppression of the finding expires;
-- NULL when it is open, suppressed inline, or suppressed without an end.
ALTER TABLE findings ADD COLUMN suppressed_until TEXT;

-- Reviews finished in a time range across all projects (weekly page, "reviews
-- this week").
CREATE INDEX reviews_by_finished ON reviews (finished_at, project_id);
-- Suppressions that expire soon, across the latest reviews.
CREATE INDEX findings_by_suppression_expiry ON findings (suppressed_until)
    WHERE suppressed_until IS NOT NULL;

-- Counts for reviews stored before this migration.
UPDATE reviews SET
    opened_findings = (SELECT COUNT(*) FROM findings f WHERE f.review_id = reviews.id AND f.status = 'new'),
    fixed_findings = COALESCE((
        SELECT COUNT(*) FROM findings pf
        WHERE pf.review_id = (
                SELECT p.id FROM reviews p
                WHERE p.project_id = reviews.project_id
                  AND (p.finished_at < reviews.finished_at
                       OR (p.finished_at = reviews.finished_at AND p.id < reviews.id))
                ORDER BY p.finished_at DESC, p.id DESC LIMIT 1)
          AND pf.fingerprint NOT IN (SELECT cf.fingerprint FROM findings cf WHERE cf.review_id = reviews.id)
    ), 0);
