-- Report run history (SQLite). One row per (entry, scheduled time): the UNIQUE claim means a run
-- happens once, never twice, even with two schedulers. Attempts keep each try of a run.

-- name: schema
CREATE TABLE IF NOT EXISTS runs (
    run_id          INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id        TEXT NOT NULL,                 -- schedule entry (name or name/value)
    scheduled_time  TEXT NOT NULL,                 -- UTC, YYYY-MM-DDTHHMMSSZ
    report          TEXT NOT NULL,                 -- entry name
    title           TEXT NOT NULL,
    template        TEXT NOT NULL,
    audience        TEXT NOT NULL,                 -- partnership or an organisation code
    parameters      TEXT NOT NULL,                 -- JSON
    trigger         TEXT NOT NULL,                 -- schedule, catch-up, manual
    status          TEXT NOT NULL CHECK (status IN
                        ('queued', 'running', 'retry', 'succeeded', 'failed', 'blocked', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL,
    timeout_s       INTEGER NOT NULL,
    owner           TEXT,                          -- host:pid:start of the process running it
    heartbeat_at    REAL,
    next_attempt_at REAL,
    created_at      REAL NOT NULL,
    started_at      REAL,
    finished_at     REAL,
    duration_s      REAL,
    snapshot        TEXT,                          -- store snapshot read
    load_batches    TEXT,                          -- JSON list of load_batch ids in it
    failing_cell    INTEGER,
    error           TEXT,
    output_dir      TEXT,                          -- published folder (succeeded runs)
    UNIQUE (entry_id, scheduled_time)
);
CREATE TABLE IF NOT EXISTS attempts (
    run_id       INTEGER NOT NULL REFERENCES runs (run_id),
    attempt      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    owner        TEXT,
    started_at   REAL NOT NULL,
    finished_at  REAL,
    duration_s   REAL,
    failing_cell INTEGER,
    error        TEXT,
    PRIMARY KEY (run_id, attempt)
);
CREATE TABLE IF NOT EXISTS schedulers (
    owner       TEXT PRIMARY KEY,                  -- a serving scheduler process
    started_at  REAL NOT NULL,
    seen_at     REAL NOT NULL                      -- its last heartbeat
);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
CREATE INDEX IF NOT EXISTS runs_audience ON runs (audience, report, scheduled_time);

-- name: claim
INSERT INTO runs (entry_id, scheduled_time, report, title, template, audience, parameters,
                  trigger, status, max_attempts, timeout_s, owner, heartbeat_at, created_at)
VALUES (:entry_id, :scheduled_time, :report, :title, :template, :audience, :parameters,
        :trigger, :status, :max_attempts, :timeout_s, :owner, :now, :now)
ON CONFLICT (entry_id, scheduled_time) DO NOTHING;

-- name: start_attempt
UPDATE runs
SET status = 'running', attempts = attempts + 1, owner = :owner, heartbeat_at = :now,
    started_at = COALESCE(started_at, :now), next_attempt_at = NULL,
    snapshot = :snapshot, load_batches = :load_batches
WHERE run_id = :run_id AND owner = :owner AND status IN ('queued', 'running');

-- name: insert_attempt
INSERT OR REPLACE INTO attempts (run_id, attempt, status, owner, started_at)
SELECT run_id, attempts, 'running', owner, :now FROM runs WHERE run_id = :run_id;

-- name: finish
UPDATE runs
SET status = :status, finished_at = :now, duration_s = :now - started_at,
    failing_cell = :failing_cell, error = :error, output_dir = :output_dir,
    next_attempt_at = :next_attempt_at, heartbeat_at = NULL,
    owner = CASE WHEN :status = 'retry' THEN NULL ELSE owner END
WHERE run_id = :run_id AND owner = :owner AND status = 'running';

-- name: finish_attempt
UPDATE attempts
SET status = :status, finished_at = :now, duration_s = :now - started_at,
    failing_cell = :failing_cell, error = :error
WHERE run_id = :run_id AND attempt = (SELECT attempts FROM runs WHERE run_id = :run_id);

-- name: take_retry
UPDATE runs SET status = 'queued', owner = :owner, heartbeat_at = :now
WHERE run_id = :run_id AND status = 'retry' AND next_attempt_at <= :now;

-- name: due_retries
SELECT run_id FROM runs WHERE status = 'retry' AND next_attempt_at <= ? ORDER BY next_attempt_at;

-- name: abandon
UPDATE runs
SET status = CASE WHEN attempts < max_attempts THEN 'retry' ELSE 'failed' END,
    next_attempt_at = :now, owner = NULL, heartbeat_at = NULL,
    finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE :now END,
    error = :error
WHERE run_id = :run_id AND owner = :old_owner AND status IN ('queued', 'running');

-- name: abandon_attempt
UPDATE attempts SET status = 'failed', finished_at = :now, error = :error
WHERE run_id = :run_id AND status = 'running';

-- name: history
SELECT run_id, entry_id, scheduled_time, report, title, template, audience, parameters, trigger,
       status, attempts, max_attempts, owner, started_at, finished_at, duration_s, snapshot,
       load_batches, failing_cell, error, output_dir
FROM runs
WHERE (:entry IS NULL OR entry_id = :entry OR report = :entry)
  AND (:status IS NULL OR status = :status)
ORDER BY scheduled_time DESC, run_id DESC
LIMIT :limit;

-- name: latest_published
SELECT r.entry_id, r.report, r.title, r.template, r.audience, r.parameters, r.scheduled_time,
       r.finished_at, r.output_dir
FROM runs AS r
WHERE r.status = 'succeeded'
  AND r.run_id = (SELECT r2.run_id FROM runs AS r2
                  WHERE r2.entry_id = r.entry_id AND r2.status = 'succeeded'
                  ORDER BY r2.scheduled_time DESC, r2.run_id DESC LIMIT 1)
ORDER BY r.audience, r.entry_id;
