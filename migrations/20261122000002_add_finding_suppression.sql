-- Findings accepted with a `backlens-ignore CHECK: reason` comment in the
-- reviewed code keep their row, with the reason; NULL means open.
ALTER TABLE findings ADD COLUMN suppressed_reason TEXT;
