package io.hookflow.run;

import java.time.Instant;
import java.util.List;

/** How an attempt of a run ended, and what its steps did. */
record Outcome(RunState state, Instant nextAttempt, String error, List<StepRecord> steps) {}
