-- One schema for SQLite and PostgreSQL: portable types only, times as epoch milliseconds.

CREATE TABLE events (
  uuid          VARCHAR(128) NOT NULL PRIMARY KEY,
  event_type    VARCHAR(255) NOT NULL,
  published     BIGINT,
  received_at   BIGINT       NOT NULL,
  source        VARCHAR(16)  NOT NULL,
  matched_flows INTEGER      NOT NULL,
  payload       TEXT         NOT NULL
);

CREATE INDEX events_received_at ON events (received_at);

CREATE TABLE runs (
  id              VARCHAR(36)  NOT NULL PRIMARY KEY,
  event_uuid      VARCHAR(128) NOT NULL REFERENCES events (uuid),
  flow            VARCHAR(255) NOT NULL,
  state           VARCHAR(16)  NOT NULL,
  attempts        INTEGER      NOT NULL,
  next_attempt_at BIGINT       NOT NULL,
  lease_owner     VARCHAR(64),
  lease_until     BIGINT,
  last_error      TEXT,
  created_at      BIGINT       NOT NULL,
  updated_at      BIGINT       NOT NULL,
  CONSTRAINT runs_one_per_event_and_flow UNIQUE (event_uuid, flow)
);

CREATE INDEX runs_due ON runs (state, next_attempt_at);

CREATE TABLE run_steps (
  run_id      VARCHAR(36) NOT NULL REFERENCES runs (id),
  attempt     INTEGER     NOT NULL,
  idx         INTEGER     NOT NULL,
  kind        VARCHAR(32) NOT NULL,
  status      VARCHAR(16) NOT NULL,
  input       TEXT,
  output      TEXT,
  error       TEXT,
  started_at  BIGINT      NOT NULL,
  finished_at BIGINT      NOT NULL,
  PRIMARY KEY (run_id, attempt, idx)
);
