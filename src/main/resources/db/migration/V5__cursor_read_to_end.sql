-- When the System Log poller last read the log to its end (a page without events), epoch millis:
-- tells a poller that must start a new query (the flows want other event types) whether the old
-- one had caught up (start from the time of its last poll) or was still reading a backlog (start
-- from the newest event it had seen). Cursors made before this migration count as caught up, as
-- they were taken to be until now.

ALTER TABLE okta_cursor ADD COLUMN read_to_end_at BIGINT;

UPDATE okta_cursor SET read_to_end_at = polled_at;
