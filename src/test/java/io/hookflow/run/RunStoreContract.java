package io.hookflow.run;

import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import io.hookflow.event.EventIntake;
import io.hookflow.event.OktaEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every store must do, SQLite and PostgreSQL alike: the same tests run against each through
 * the same code paths.
 */
abstract class RunStoreContract {

  static final String FLOW = "Salesforce unassignment notice";

  @TempDir Path dir;
  TestInstance hookflow;
  EventIntake intake;
  RunStore store;

  /** Settings that point the service at the store under test. */
  abstract Map<String, String> database(Path dir);

  @BeforeEach
  void start() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml", "all-apps-html.yaml"),
            dir.resolve("data"));
    properties.put("hookflow.runs.workers", "0");
    properties.putAll(database(dir));
    hookflow = TestInstance.start(properties);
    intake = hookflow.bean(EventIntake.class);
    store = hookflow.bean(RunStore.class);
  }

  @AfterEach
  void stop() {
    hookflow.close();
  }

  @Test
  void eventIsStoredOnceWithOneRunPerMatchingFlow() {
    OktaEvent event = event();

    EventIntake.Receipt first = intake.accept(List.of(event, event), "hook");
    EventIntake.Receipt again = intake.accept(List.of(event), "poll");

    assertThat(first).isEqualTo(new EventIntake.Receipt(1, 1, 2));
    assertThat(again).isEqualTo(new EventIntake.Receipt(0, 1, 0));
    assertThat(hookflow.count("events")).isOne();
    assertThat(hookflow.count("runs")).isEqualTo(2);
  }

  @Test
  void concurrentDeliveriesOfTheSameEventsStoreEachOnce() throws Exception {
    List<OktaEvent> events = IntStream.range(0, 20).mapToObj(i -> event()).toList();
    ExecutorService deliveries = Executors.newFixedThreadPool(8);
    List<Future<EventIntake.Receipt>> receipts = new ArrayList<>();
    for (int d = 0; d < 8; d++) {
      List<OktaEvent> delivery = new ArrayList<>(events);
      Collections.shuffle(delivery);
      String source = d % 2 == 0 ? "hook" : "poll";
      receipts.add(deliveries.submit(() -> intake.accept(delivery, source)));
    }
    int stored = 0;
    int duplicates = 0;
    int runs = 0;
    for (Future<EventIntake.Receipt> receipt : receipts) {
      stored += receipt.get().stored();
      duplicates += receipt.get().duplicates();
      runs += receipt.get().runs();
    }
    deliveries.shutdown();

    assertThat(stored).isEqualTo(20);
    assertThat(duplicates).isEqualTo(7 * 20);
    assertThat(runs).isEqualTo(40);
    assertThat(hookflow.count("events")).isEqualTo(20);
    assertThat(hookflow.count("runs")).isEqualTo(40);
  }

  @Test
  void whatAnEventDoesNotSayIsStoredAsNullBesideEventsThatSayIt() {
    ObjectNode bare = salesforceUnassignment();
    bare.remove("published");
    bare.remove("target");
    OktaEvent without = OktaEvent.of(bare, "test");
    OktaEvent with = event();

    intake.accept(List.of(without, with), "hook");

    Map<String, Object> stored =
        hookflow
            .jdbc()
            .sql("SELECT published, user_login, app_name FROM events WHERE uuid = ?")
            .param(without.uuid())
            .query()
            .singleRow();
    assertThat(stored).containsEntry("published", null).containsEntry("user_login", null);
    assertThat(stored).containsEntry("app_name", null);
    assertThat(
            hookflow
                .jdbc()
                .sql("SELECT published FROM events WHERE uuid = ?")
                .param(with.uuid())
                .query(Long.class)
                .single())
        .isEqualTo(with.published().orElseThrow().toEpochMilli());
  }

  @Test
  void eventsWithValuesTheColumnsCannotHoldAreStoredWithoutThem() {
    ObjectNode far = salesforceUnassignment();
    far.put("published", "+300000000-01-01T00:00:00Z");
    ObjectNode nul = Fixtures.withUserName(salesforceUnassignment(), "Ann\u0000Lee");
    OktaEvent farOff = OktaEvent.of(far, "test");
    OktaEvent withNul = OktaEvent.of(nul, "test");

    EventIntake.Receipt receipt = intake.accept(List.of(farOff, withNul), "hook");

    assertThat(receipt.stored()).isEqualTo(2);
    assertThat(farOff.published()).isEmpty();
    assertThat(
            hookflow
                .jdbc()
                .sql("SELECT user_name FROM events WHERE uuid = ?")
                .param(withNul.uuid())
                .query(String.class)
                .single())
        .isEqualTo("AnnLee");
  }

  @Test
  void aRunForTheSameEventAndFlowIsNeverCreatedTwice() {
    OktaEvent event = event();
    intake.accept(List.of(event), "hook");

    String again = create(event.uuid(), null, 1, 0);

    assertThat(again).isNull();
    assertThat(hookflow.count("runs")).isEqualTo(2);
  }

  @Test
  void aRunCreatedClaimedIsNotClaimedAgainUntilItsLeaseExpires() {
    OktaEvent event = event();
    intake.accept(List.of(event), "hook");
    long now = System.currentTimeMillis();
    hookflow.jdbc().sql("DELETE FROM runs").update();

    String id = create(event.uuid(), "intake", now, now + 1_000);

    assertThat(store.claim("other", now + 999, now + 60_000)).isEmpty();
    Claim late = store.claim("other", now + 1_001, now + 60_000).orElseThrow();
    assertThat(late.runId()).isEqualTo(id);
    assertThat(late.attempt()).isEqualTo(2);
    assertThat(late.event()).isNull();
    assertThat(Fixtures.JSON.readTree(late.payload())).isEqualTo(event.json());
  }

  @Test
  void renewedLeasesAreNotTakenOver() {
    intake.accept(List.of(otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    Claim claim = store.claim("alive", now, now + 1_000).orElseThrow();

    assertThat(store.renewLeases("alive", now + 5_000, List.of(claim.runId()))).isOne();
    assertThat(store.renewLeases("someone else", now + 9_000, List.of(claim.runId()))).isZero();

    assertThat(store.claim("other", now + 2_000, now + 60_000)).isEmpty();
    assertThat(store.claim("other", now + 5_001, now + 60_000).map(Claim::runId))
        .contains(claim.runId());
  }

  @Test
  void onlyTheRunsStillHeldAreRenewed() {
    intake.accept(List.of(otherAppEvent(), otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    Claim kept = store.claim("alive", now, now + 1_000).orElseThrow();
    Claim letGo = store.claim("alive", now, now + 1_000).orElseThrow();
    List<String> many = new ArrayList<>(List.of(kept.runId()));
    IntStream.range(0, 1_200).forEach(i -> many.add("not-a-run-" + i));

    assertThat(store.renewLeases("alive", now + 5_000, many)).isOne();
    assertThat(store.renewLeases("alive", now + 5_000, List.of())).isZero();

    assertThat(store.claim("other", now + 2_000, now + 60_000).map(Claim::runId))
        .contains(letGo.runId());
    assertThat(store.claim("other", now + 2_000, now + 60_000)).isEmpty();
  }

  @Test
  void concurrentWorkersClaimEachRunExactlyOnce() throws Exception {
    List<OktaEvent> events = IntStream.range(0, 30).mapToObj(i -> event()).toList();
    intake.accept(events, "hook");
    long now = System.currentTimeMillis();
    List<String> claimed = Collections.synchronizedList(new ArrayList<>());

    ExecutorService workers = Executors.newFixedThreadPool(6);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      String owner = "worker-" + w;
      done.add(
          workers.submit(
              () -> {
                for (Optional<Claim> c = store.claim(owner, now, now + 60_000);
                    c.isPresent();
                    c = store.claim(owner, now, now + 60_000)) {
                  claimed.add(c.get().runId());
                }
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    workers.shutdown();

    assertThat(claimed).hasSize(60).doesNotHaveDuplicates();
  }

  @Test
  void runsAreClaimedOnlyOnceDue() {
    intake.accept(List.of(event()), "hook");
    long now = System.currentTimeMillis();
    Claim claim = store.claim("a", now + 1000, now + 61_000).orElseThrow();
    store.finish(claim, retrying(Instant.ofEpochMilli(now + 10_000)), now + 1000);

    assertThat(store.claim("a", now + 9_999, now + 70_000).map(Claim::runId))
        .isNotEqualTo(Optional.of(claim.runId()));
    assertThat(store.claim("a", now + 10_000, now + 70_000).map(Claim::runId))
        .contains(claim.runId());
  }

  @Test
  void theRunDueLongestIsClaimedFirstWhateverWhyItIsDue() {
    intake.accept(
        List.of(otherAppEvent(), otherAppEvent(), otherAppEvent(), otherAppEvent()), "hook");
    List<String> ids =
        hookflow.jdbc().sql("SELECT id FROM runs ORDER BY id").query(String.class).list();
    long now = System.currentTimeMillis();
    due(ids.get(0), "pending", now + 300, null);
    due(ids.get(1), "retrying", now + 100, null);
    due(ids.get(2), "running", now, now + 200);
    due(ids.get(3), "pending", now + 5_000, null);

    List<Claim> claimed = store.claim("a", now + 1_000, now + 60_000, 3);

    assertThat(claimed)
        .extracting(Claim::runId)
        .containsExactly(ids.get(1), ids.get(2), ids.get(0));
    assertThat(store.claim("a", now + 1_000, now + 60_000, 3)).isEmpty();
  }

  @Test
  void aRetriedRunIsTakenBeforeTheRunsAlreadyWaiting() {
    intake.accept(
        List.of(otherAppEvent(), otherAppEvent(), otherAppEvent(), otherAppEvent()), "hook");
    List<String> ids =
        hookflow.jdbc().sql("SELECT id FROM runs ORDER BY id").query(String.class).list();
    long now = System.currentTimeMillis();
    due(ids.get(0), "pending", now - 60_000, null);
    due(ids.get(1), "retrying", now - 90_000, null);
    due(ids.get(2), "pending", now - 30_000, null);
    due(ids.get(3), "failed", now - 120_000, null);

    assertThat(hookflow.bean(RunHistory.class).retry(ids.get(3))).isTrue();

    assertThat(store.claim("a", now + 1_000, now + 60_000, 4))
        .extracting(Claim::runId)
        .containsExactly(ids.get(3), ids.get(1), ids.get(0), ids.get(2));
  }

  @Test
  void retryingTheFailedRunsQueuesEachFailedOneTheFilterLetsThroughAndNoOther() {
    intake.accept(
        List.of(otherAppEvent(), otherAppEvent(), otherAppEvent(), otherAppEvent()), "hook");
    List<String> ids =
        hookflow.jdbc().sql("SELECT id FROM runs ORDER BY id").query(String.class).list();
    long now = System.currentTimeMillis();
    due(ids.get(0), "failed", now - 60_000, null);
    due(ids.get(1), "failed", now - 90_000, null);
    due(ids.get(2), "succeeded", now - 30_000, null);
    due(ids.get(3), "pending", now + 60_000, null);
    String flow =
        hookflow
            .jdbc()
            .sql("SELECT flow FROM runs WHERE id = ?")
            .param(ids.get(0))
            .query(String.class)
            .single();
    RunHistory history = hookflow.bean(RunHistory.class);

    assertThat(history.retryFailed(RunFilter.ofFlow("No such flow"))).isZero();
    assertThat(history.retryFailed(RunFilter.ofFlow(flow))).isEqualTo(2);

    assertThat(hookflow.jdbc().sql("SELECT state FROM runs ORDER BY id").query(String.class).list())
        .containsExactly("pending", "pending", "succeeded", "pending");
    assertThat(store.claim("a", now + 1_000, now + 60_000, 4))
        .extracting(Claim::runId)
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    assertThat(history.retryFailed(RunFilter.none())).as("none failed now").isZero();
  }

  @Test
  void aRunWhoseLeaseExpiredIsTakenOverAndTheOldOwnerCannotFinishIt() {
    intake.accept(List.of(otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    Claim first = store.claim("dead", now, now + 1_000).orElseThrow();

    assertThat(store.claim("alive", now + 500, now + 60_000)).isEmpty();
    Claim second = store.claim("alive", now + 1_001, now + 60_000).orElseThrow();

    assertThat(second.runId()).isEqualTo(first.runId());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(store.finish(first, succeeded(), now + 1_002)).isFalse();
    assertThat(store.finish(second, succeeded(), now + 1_003)).isTrue();
    assertThat(store.countByState().get(RunState.SUCCEEDED)).isOne();
  }

  @Test
  void finishedStepsAreKeptAndSentEmailsRemembered() {
    intake.accept(List.of(otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    Claim claim = store.claim("a", now, now + 60_000).orElseThrow();
    List<StepRecord> steps =
        List.of(
            new StepRecord(0, "compose", null, "done", "\"t\"", "{\"m\":\"x\"}", null, now, now),
            new StepRecord(1, "email", "k1", "done", "{}", "{}", null, now, now + 5),
            new StepRecord(2, "email", "k2", "retry", "{}", null, "SMTP 451", now, now + 5),
            // As recorded before steps had keys: known by its place.
            new StepRecord(3, "email", null, "done", "{}", "{}", null, now, now + 5));

    store.finish(
        claim, new Outcome(RunState.RETRYING, Instant.ofEpochMilli(now), "SMTP 451", steps), now);

    assertThat(hookflow.count("run_steps")).isEqualTo(4);
    DoneEffects done = store.doneEffects(claim.runId());
    assertThat(done.byKey()).containsOnlyKeys("k1");
    assertThat(done.byIndex()).containsOnlyKeys(3);
    assertThat(done.contains(5, "k1")).isTrue();
    assertThat(done.contains(3, "k9")).isTrue();
    assertThat(done.contains(2, "k2")).isFalse();
  }

  @Test
  void runsWhoseLeaseExpiredAreTakenOnlyWhenAskedFor() {
    intake.accept(List.of(otherAppEvent(), otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    Claim expired = store.claim("dead", now, now + 1_000, 1).get(0);

    List<Claim> pendingOnly = store.claim("alive", now + 1_001, now + 60_000, 2, false, Set.of());
    List<Claim> withExpired = store.claim("alive", now + 1_001, now + 60_000, 2, true, Set.of());

    assertThat(pendingOnly).hasSize(1);
    assertThat(pendingOnly.get(0).runId()).isNotEqualTo(expired.runId());
    assertThat(withExpired).extracting(Claim::runId).containsExactly(expired.runId());
  }

  @Test
  void runsTheClaimerStillHoldsAreNotTakenAsExpired() {
    intake.accept(List.of(otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    Claim held = store.claim("alive", now, now + 1_000, 1).get(0);

    // Its end waits to be recorded, and its lease ran out meanwhile.
    assertThat(store.claim("alive", now + 1_001, now + 60_000, 1, true, Set.of(held.runId())))
        .isEmpty();
    assertThat(store.claim("other", now + 1_001, now + 60_000, 1, true, Set.of()))
        .extracting(Claim::runId)
        .containsExactly(held.runId());
  }

  @Test
  void attemptsFinishedTogetherAreEachRecordedOrRefusedOnTheirOwn() {
    intake.accept(List.of(otherAppEvent(), otherAppEvent(), otherAppEvent()), "hook");
    long now = System.currentTimeMillis();
    List<Claim> claims = store.claim("dead", now, now + 1_000, 3);
    Claim lost = claims.get(1);
    Claim takenOver = store.claim("alive", now + 1_001, now + 60_000, 1).get(0);
    assertThat(takenOver.runId()).isEqualTo(claims.get(0).runId());
    List<StepRecord> steps =
        List.of(
            new StepRecord(0, "compose", null, "done", "\"t\"", "{\"m\":\"x\"}", null, now, now),
            new StepRecord(1, "email", "k1", "done", "{}", "{}", null, now, now + 5));
    Outcome succeeded = new Outcome(RunState.SUCCEEDED, null, null, steps);

    boolean[] recorded =
        store.finishAll(
            List.of(
                new RunStore.Finished(claims.get(0), succeeded),
                new RunStore.Finished(lost, succeeded),
                new RunStore.Finished(claims.get(2), retrying(Instant.ofEpochMilli(now + 9_000))),
                new RunStore.Finished(takenOver, succeeded)),
            now + 1_002);

    assertThat(recorded).containsExactly(false, true, true, true);
    assertThat(store.countByState().get(RunState.SUCCEEDED)).isEqualTo(2);
    assertThat(store.countByState().get(RunState.RETRYING)).isOne();
    assertThat(hookflow.count("run_steps")).isEqualTo(4);
    assertThat(store.doneEffects(lost.runId()).byKey()).containsOnlyKeys("k1");
    assertThat(store.doneEffects(claims.get(2).runId())).isEqualTo(DoneEffects.NONE);
  }

  @Test
  void releasingFreesEveryClaimedRun() {
    intake.accept(List.of(event(), event()), "hook");
    long now = System.currentTimeMillis();
    store.claim("a", now, now + 600_000).orElseThrow();
    store.claim("a", now, now + 600_000).orElseThrow();

    assertThat(store.releaseAll(now)).isEqualTo(2);
    assertThat(store.claim("b", now, now + 60_000)).isPresent();
  }

  private static Outcome succeeded() {
    return new Outcome(RunState.SUCCEEDED, null, null, List.of());
  }

  private static Outcome retrying(Instant next) {
    return new Outcome(RunState.RETRYING, next, "later", List.of());
  }

  /** One run of the test flow for the event, created as intake creates them; null if it exists. */
  private String create(String eventUuid, String owner, long now, long leaseUntil) {
    return store
        .createAll(List.of(new RunStore.NewRun(eventUuid, FLOW, owner)), now, leaseUntil)
        .get(0);
  }

  private void due(String id, String state, long nextAttemptAt, Long leaseUntil) {
    hookflow
        .jdbc()
        .sql(
            "UPDATE runs SET state = ?, next_attempt_at = ?, lease_owner = ?, lease_until = ?"
                + " WHERE id = ?")
        .params(state, nextAttemptAt, leaseUntil == null ? null : "gone", leaseUntil, id)
        .update();
  }

  private static OktaEvent event() {
    return OktaEvent.of(salesforceUnassignment(), "test");
  }

  /** An event of an app no flow names but the all-apps one: one run. */
  private static OktaEvent otherAppEvent() {
    return OktaEvent.of(Fixtures.unassignment("0oaTestOther00001", "Other"), "test");
  }
}
