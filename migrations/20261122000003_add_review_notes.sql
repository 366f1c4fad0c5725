-- Problems a review met that people should fix, such as a malformed
-- .backlens.toml (JSON array of strings).
ALTER TABLE reviews ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
