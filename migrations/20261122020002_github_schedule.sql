-- Scheduled re-reviews of a GitHub project's default branch (0 = never).
-- A scheduled review is skipped when the branch's head has not moved.
ALTER TABLE github_repositories ADD COLUMN review_every_hours INTEGER NOT NULL DEFAULT 24
    CHECK (review_every_hours >= 0);
-- When the scheduler last queued a review (NULL: not yet; counts from the project's creation).
ALTER TABLE github_repositories ADD COLUMN last_scheduled_at INTEGER;
