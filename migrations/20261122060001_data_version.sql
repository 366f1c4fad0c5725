-- A data version: one counter that every write to what the pages show bumps,
-- in the same transaction as the write (triggers), so a reader that saw the
-- counter before a write can never mistake data read before it for current.
-- The server's in-memory caches (rendered pages, weekly reports) keep the
-- version they were made at and are dropped when it moved. Writes by other
-- processes on the same database (`backlens add`, `backlens demo-data`)
-- bump it too. Findings, check results, categories and routes are written in
-- the same transaction as their review or job, so their tables need no
-- trigger (a trigger per finding row would slow `demo-data` down).
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER data_version_projects_ins AFTER INSERT ON projects
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_projects_upd AFTER UPDATE ON projects
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_projects_del AFTER DELETE ON projects
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_jobs_ins AFTER INSERT ON jobs
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_jobs_upd AFTER UPDATE ON jobs
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_jobs_del AFTER DELETE ON jobs
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_reviews_ins AFTER INSERT ON reviews
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_reviews_upd AFTER UPDATE ON reviews
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_reviews_del AFTER DELETE ON reviews
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_quality_gates_ins AFTER INSERT ON quality_gates
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_quality_gates_upd AFTER UPDATE ON quality_gates
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_quality_gates_del AFTER DELETE ON quality_gates
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_github_repositories_ins AFTER INSERT ON github_repositories
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_github_repositories_upd AFTER UPDATE ON github_repositories
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_github_repositories_del AFTER DELETE ON github_repositories
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_github_statuses_ins AFTER INSERT ON github_statuses
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_github_statuses_upd AFTER UPDATE ON github_statuses
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_github_statuses_del AFTER DELETE ON github_statuses
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_quality_runs_ins AFTER INSERT ON quality_runs
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_quality_runs_upd AFTER UPDATE ON quality_runs
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER data_version_quality_runs_del AFTER DELETE ON quality_runs
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
