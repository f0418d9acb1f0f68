package io.hookflow.run;

import static java.util.concurrent.CompletableFuture.completedFuture;

import io.hookflow.HookflowProperties;
import io.hookflow.event.EventStore;
import io.hookflow.event.OktaEvent;
import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.step.RunContext;
import io.hookflow.step.Step;
import io.hookflow.step.StepResult;
import io.hookflow.step.StepRunner;
import io.hookflow.step.Variables;
import io.hookflow.store.GroupCommit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One attempt of one run: its flow's steps in order, each recorded, until one stops it. */
@Component
class RunExecutor {

  private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);

  private final Flows flows;
  private final EventStore events;
  private final RunStore runs;
  private final StepRunner steps;
  private final Variables variables;
  private final JsonMapper json;
  private final Clock clock;
  private final RetryPolicy retry;
  private final GroupCommit writes;

  RunExecutor(
      Flows flows,
      EventStore events,
      RunStore runs,
      StepRunner steps,
      Variables variables,
      JsonMapper json,
      Clock clock,
      HookflowProperties properties,
      GroupCommit writes) {
    this.flows = flows;
    this.events = events;
    this.runs = runs;
    this.steps = steps;
    this.variables = variables;
    this.json = json;
    this.clock = clock;
    this.retry = RetryPolicy.of(properties.runs().retry());
    this.writes = writes;
  }

  /**
   * Runs the attempt. The outcome may come after this returns: the last step's result may be told
   * later ({@link StepRunner#runLast}), all of the attempt's work having been started by then.
   */
  CompletableFuture<Outcome> execute(Claim claim) {
    Optional<Flow> flow = flows.named(claim.flow());
    if (flow.isEmpty()) {
      // Not necessarily for good: instances sharing a database have different flows for a while
      // in a rolling deploy, and one without a flow just added (or renamed) may claim its run.
      // Retried like a step that may pass later; failed once the attempts are spent.
      String error =
          "flow '"
              + claim.flow()
              + "' is not defined here (removed or renamed, or not yet on this instance)";
      return completedFuture(
          retryOrFail(claim, new StepResult.RetryLater(null, error, Optional.empty()), List.of()));
    }
    OktaEvent event = claim.event();
    if (event == null) {
      JsonNode tree;
      if (claim.payload() != null) {
        tree = json.readTree(claim.payload());
      } else {
        Optional<String> payload = events.payload(claim.eventUuid());
        if (payload.isEmpty()) {
          return completedFuture(
              failed("event " + claim.eventUuid() + " is no longer stored", List.of()));
        }
        tree = json.readTree(payload.get());
      }
      event = OktaEvent.of(tree, "stored event");
    }
    RunContext context = new RunContext(claim.runId(), claim.flow(), event, variables.of(event));
    DoneEffects done = claim.attempt() == 1 ? DoneEffects.NONE : runs.doneEffects(claim.runId());
    List<StepRecord> records = new ArrayList<>();
    List<Step> flowSteps = flow.get().steps();
    List<String> keys = flow.get().stepKeys();
    for (int i = 0; i < flowSteps.size(); i++) {
      Step step = flowSteps.get(i);
      String key = keys.get(i);
      context.atStep(i);
      long started = clock.millis();
      if (step.sideEffect() && done.contains(i, key)) {
        String output = done.output(i, key);
        records.add(
            new StepRecord(
                i,
                step.kind(),
                key,
                "done",
                "\"done in an earlier attempt\"",
                output,
                null,
                started,
                started));
        context.variables().putAll(outputOf(output));
        continue;
      }
      if (i == flowSteps.size() - 1) {
        int index = i;
        CompletableFuture<StepResult> last;
        try {
          last = steps.runLast(step, context);
        } catch (RuntimeException e) {
          last = completedFuture(stepFailed(step, e));
        }
        return last.exceptionally(e -> stepFailed(step, e))
            .thenApply(
                result -> {
                  Outcome stopped =
                      ended(claim, index, step, key, started, result, records, context, true);
                  return stopped != null
                      ? stopped
                      : new Outcome(RunState.SUCCEEDED, null, null, records);
                });
      }
      StepResult result;
      try {
        result = steps.run(step, context);
      } catch (RuntimeException e) {
        result = stepFailed(step, e);
      }
      Outcome stopped = ended(claim, i, step, key, started, result, records, context, false);
      if (stopped != null) {
        return completedFuture(stopped);
      }
    }
    return completedFuture(new Outcome(RunState.SUCCEEDED, null, null, records));
  }

  private static StepResult stepFailed(Step step, Throwable e) {
    return new StepResult.Failed(null, step.kind() + " step failed: " + unwrapped(e).getMessage());
  }

  /** What failed a stage of an outcome: a dependent stage's failure comes wrapped. */
  static Throwable unwrapped(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /**
   * Records how step {@code i} ended; the attempt's outcome if it stops there (a retry or a
   * failure), or null to go on.
   */
  private Outcome ended(
      Claim claim,
      int i,
      Step step,
      String key,
      long started,
      StepResult result,
      List<StepRecord> records,
      RunContext context,
      boolean last) {
    long finished = clock.millis();
    String input = write(result.input());
    if (result instanceof StepResult.Done doneStep) {
      StepRecord record =
          new StepRecord(
              i,
              step.kind(),
              key,
              "done",
              input,
              write(doneStep.output()),
              null,
              started,
              finished);
      records.add(record);
      if (step.sideEffect() && !last) {
        recordNow(claim, record);
      }
      context.variables().putAll(doneStep.output());
    } else if (result instanceof StepResult.RetryLater later) {
      records.add(
          new StepRecord(
              i, step.kind(), key, "retry", input, null, later.error(), started, finished));
      return retryOrFail(claim, later, records);
    } else if (result instanceof StepResult.Failed failed) {
      records.add(
          new StepRecord(
              i, step.kind(), key, "failed", input, null, failed.error(), started, finished));
      return failed(failed.error(), records);
    }
    return null;
  }

  /**
   * The outcome of an attempt that could not be executed at all (its stored event unreadable, say):
   * tried again with backoff like a step that may pass later, and failed once the retries are
   * spent, rather than left running.
   */
  Outcome couldNotExecute(Claim claim, Throwable e) {
    String error = "could not be executed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    return retryOrFail(claim, new StepResult.RetryLater(null, error, Optional.empty()), List.of());
  }

  /**
   * Stores a step with an effect outside (a sent message) before the steps after it run: a crash or
   * a takeover in one of them would otherwise leave no trace of it, and the next attempt would send
   * it again. A step at the end of its flow is stored with the attempt's end, as every other.
   */
  private void recordNow(Claim claim, StepRecord record) {
    try {
      writes.execute(
          () -> {
            runs.recordStep(claim, record);
            return null;
          });
    } catch (RuntimeException e) {
      log.warn(
          "Run {}: could not record step {} at once; it is recorded with the attempt's end",
          claim.runId(),
          record.index(),
          e);
    }
  }

  private Outcome retryOrFail(Claim claim, StepResult.RetryLater later, List<StepRecord> records) {
    if (!retry.allowsAnotherAfter(claim.attempt())) {
      return failed(
          "gave up after "
              + claim.attempt()
              + (claim.attempt() == 1 ? " attempt" : " attempts")
              + "; last error: "
              + later.error(),
          givenUp(records));
    }
    Instant next = retry.nextAfter(claim.attempt(), clock.instant());
    if (later.notBefore().isPresent() && later.notBefore().get().isAfter(next)) {
      next = later.notBefore().get();
    }
    return new Outcome(RunState.RETRYING, next, later.error(), records);
  }

  /**
   * The records of an attempt after which the run is given up: the step that asked to be tried
   * again is recorded as failed, as the run is, not as one to be retried.
   */
  private static List<StepRecord> givenUp(List<StepRecord> records) {
    if (records.isEmpty() || !records.get(records.size() - 1).status().equals("retry")) {
      return records;
    }
    StepRecord last = records.get(records.size() - 1);
    List<StepRecord> given = new ArrayList<>(records.subList(0, records.size() - 1));
    given.add(
        new StepRecord(
            last.index(),
            last.kind(),
            last.key(),
            "failed",
            last.input(),
            last.output(),
            last.error(),
            last.startedAt(),
            last.finishedAt()));
    return given;
  }

  private static Outcome failed(String error, List<StepRecord> records) {
    return new Outcome(RunState.FAILED, null, error, records);
  }

  private String write(Object value) {
    return value == null ? null : json.writeValueAsString(value);
  }

  private Map<String, Object> outputOf(String stored) {
    return stored == null ? Map.of() : json.readValue(stored, new TypeReference<>() {});
  }
}
