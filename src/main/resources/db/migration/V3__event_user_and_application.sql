-- Who and which application an event is about, so runs and events can be filtered by them.
-- Events stored before this migration keep NULL here and match no such filter.

ALTER TABLE events ADD COLUMN user_login VARCHAR(255);
ALTER TABLE events ADD COLUMN user_name VARCHAR(255);
ALTER TABLE events ADD COLUMN app_id VARCHAR(255);
ALTER TABLE events ADD COLUMN app_name VARCHAR(255);

CREATE INDEX runs_created_at ON runs (created_at);
