-- Named leases, so that a job runs on one instance of several at a time and moves to another
-- when that one dies. A lease is held until expires_at (epoch millis) unless renewed before.

CREATE TABLE leases (
  name       VARCHAR(64)  NOT NULL PRIMARY KEY,
  owner      VARCHAR(128) NOT NULL,
  expires_at BIGINT       NOT NULL,
  taken_at   BIGINT       NOT NULL
);
