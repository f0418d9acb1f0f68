-- The System Log poller's position: the next link Okta gave, written in the same transaction as
-- the events fetched with it. One row per poller; the lease lets one instance of several poll.

CREATE TABLE okta_cursor (
  name             VARCHAR(64)  NOT NULL PRIMARY KEY,
  next_url         TEXT         NOT NULL,
  filter           TEXT         NOT NULL,
  newest_published BIGINT,
  polled_at        BIGINT,
  lease_owner      VARCHAR(64),
  lease_until      BIGINT,
  created_at       BIGINT       NOT NULL,
  updated_at       BIGINT       NOT NULL
);
