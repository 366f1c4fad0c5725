-- The team that owns a project: the portfolio filters by it.
ALTER TABLE projects ADD COLUMN team TEXT CHECK (team IS NULL OR length(team) BETWEEN 1 AND 60);
