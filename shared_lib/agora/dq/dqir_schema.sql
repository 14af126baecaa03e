-- The data quality issues register's own history: every change of every issue, append-only.
CREATE TABLE IF NOT EXISTS dq_issue_event (
    issue_id    BIGINT    NOT NULL,
    changed_at  TIMESTAMP NOT NULL,
    actor       VARCHAR   NOT NULL,
    from_status VARCHAR,
    to_status   VARCHAR   NOT NULL,
    priority    VARCHAR,
    note        VARCHAR
)
