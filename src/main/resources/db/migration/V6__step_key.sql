-- Which step of its flow a step record belongs to, for steps with an effect outside (a sent
-- message): a digest of the step as written in the flow file. A later attempt of the run knows
-- the messages already sent by it rather than by their place in the flow, which an edit of the
-- flow between attempts may have changed. Records made before this migration have none and are
-- matched by place, as they were until now.

ALTER TABLE run_steps ADD COLUMN step_key VARCHAR(64);
