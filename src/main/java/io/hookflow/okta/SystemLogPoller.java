package io.hookflow.okta;

import io.hookflow.HookflowProperties;
import io.hookflow.event.EventIntake;
import io.hookflow.event.InvalidEventException;
import io.hookflow.event.OktaEvent;
import io.hookflow.flow.Flows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the System Log as Okta prescribes for polling: one query from a start time, then always the
 * {@code next} link of the last page, stored with that page's events in one transaction. A crash
 * therefore neither skips nor repeats a page; an event also delivered by the hook is stored once,
 * by its uuid.
 */
class SystemLogPoller implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(SystemLogPoller.class);

  /** Okta keeps the System Log for 90 days. */
  static final Duration RETENTION = Duration.ofDays(90);

  private final OktaApi okta;
  private final CursorStore cursors;
  private final EventIntake intake;
  private final Flows flows;
  private final JsonMapper json;
  private final Clock clock;
  private final HookflowProperties.Poll settings;
  private final PollStatus status;
  private final String owner;
  private final boolean exclusive;
  private volatile ScheduledExecutorService executor;

  SystemLogPoller(
      OktaApi okta,
      CursorStore cursors,
      EventIntake intake,
      Flows flows,
      JsonMapper json,
      Clock clock,
      HookflowProperties.Poll settings,
      PollStatus status,
      String owner,
      boolean exclusive) {
    this.okta = okta;
    this.cursors = cursors;
    this.intake = intake;
    this.flows = flows;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
    this.status = status;
    this.owner = owner;
    this.exclusive = exclusive;
  }

  @Override
  public void start() {
    if (flows.eventTypes().isEmpty()) {
      log.warn("System Log polling is enabled but no flow names an event type: not polling");
      return;
    }
    if (exclusive) {
      // The lease a crashed process left would otherwise hold polling up until it runs out.
      cursors.releaseLeftBehind(CursorStore.SYSTEM_LOG);
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "okta-system-log");
              thread.setDaemon(true);
              return thread;
            });
    executor.execute(this::loop);
    log.info("Polling Okta's System Log at {} for {}", okta.orgUrl(), flows.eventTypes());
  }

  @Override
  public void stop() {
    ScheduledExecutorService running = executor;
    executor = null;
    if (running == null) {
      return;
    }
    running.shutdownNow();
    try {
      running.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      cursors.release(CursorStore.SYSTEM_LOG, owner);
    } catch (RuntimeException e) {
      log.debug("could not release the poller's lease", e);
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }

  private void loop() {
    Duration delay;
    try {
      delay = poll();
    } catch (OktaException e) {
      delay = afterFailure(e);
    } catch (RuntimeException e) {
      delay = afterFailure(e);
    } catch (Error e) {
      // Out of memory on a large page, say: polling goes on (the executor would drop the task and
      // with it every later poll, silently), after the backoff of any failure.
      log.error("System Log poll failed", e);
      delay = afterFailure(new IllegalStateException(e.toString(), e));
    }
    ScheduledExecutorService running = executor;
    if (running != null && !running.isShutdown()) {
      running.schedule(this::loop, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Reads one page; returns how long to wait before the next. */
  Duration poll() {
    String filter = SystemLogQuery.filter(flows.eventTypes());
    long now = clock.millis();
    if (cursors.find(CursorStore.SYSTEM_LOG).isEmpty()) {
      cursors.create(CursorStore.SYSTEM_LOG, firstQuery(filter), filter, now);
    }
    if (!cursors.lease(CursorStore.SYSTEM_LOG, owner, now, now + lease().toMillis())) {
      status.standby();
      return settings.interval();
    }
    // Read under the lease: the last holder may have moved it on, and only the holder restarts it.
    CursorStore.Cursor cursor = cursor(filter);
    String asked = SystemLogQuery.withLimit(cursor.nextUrl(), settings.limit());
    OktaApi.Response page = okta.list(asked);
    List<OktaEvent> events = events(page.list());
    Long newest = cursor.newestPublished();
    for (OktaEvent event : events) {
      long published = event.published().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
      if (newest == null || published > newest) {
        newest = published == Long.MIN_VALUE ? newest : Long.valueOf(published);
      }
    }
    // Without a next link Okta has not moved us on: the same query is asked again.
    String next = page.next().orElse(cursor.nextUrl());
    Long newestSeen = newest;
    EventIntake.Receipt receipt =
        intake.accept(
            events,
            "poll",
            () ->
                cursors.advance(
                    CursorStore.SYSTEM_LOG,
                    owner,
                    next,
                    newestSeen,
                    events.isEmpty(),
                    clock.millis()));
    status.polled(newestSeen == null ? null : Instant.ofEpochMilli(newestSeen));
    if (!events.isEmpty()) {
      log.debug(
          "System Log page: {} event(s), {} new, {} run(s)",
          events.size(),
          receipt.stored(),
          receipt.runs());
    }
    // A page with events may have more behind it; an empty one means the log is read to its end.
    // A next link that does not move on (the page just read) would bring the same page at once.
    boolean movedOn =
        page.next().filter(n -> !n.equals(asked) && !n.equals(cursor.nextUrl())).isPresent();
    if (events.isEmpty() || !movedOn) {
      return settings.interval();
    }
    return page.rateLimit()
        .filter(OktaApi.RateLimit::nearlySpent)
        .map(this::spareTheRest)
        .orElse(Duration.ZERO);
  }

  /**
   * While catching up, the next page waits for the rate limit to reset once no more than a tenth of
   * it is left: the org's other integrations (a SIEM reading the same log) share it.
   */
  private Duration spareTheRest(OktaApi.RateLimit limit) {
    Duration wait =
        min(max(limit.untilReset(), OktaException.LEAST_RATE_LIMIT_WAIT), settings.maxBackoff());
    log.info(
        "Catching up with the System Log: {} of Okta's {} requests left until it resets; next page"
            + " in {}",
        limit.remaining(),
        limit.limit(),
        wait);
    holdLeaseFor(wait);
    return wait;
  }

  /**
   * Keeps the poller's lease over a wait for Okta's rate limit to reset, which may outlast it: the
   * limit is the org's, so another instance taking over meanwhile would spend what is being spared
   * for others, or be refused.
   */
  private void holdLeaseFor(Duration wait) {
    try {
      long until = clock.millis() + wait.plus(lease()).toMillis();
      cursors.hold(CursorStore.SYSTEM_LOG, owner, until);
    } catch (RuntimeException e) {
      log.debug("could not keep the poller's lease over the wait for Okta's rate limit", e);
    }
  }

  private CursorStore.Cursor cursor(String filter) {
    CursorStore.Cursor stored = cursors.find(CursorStore.SYSTEM_LOG).orElseThrow();
    if (stored.filter().equals(filter)) {
      if (stored.newestPublished() != null) {
        status.seen(Instant.ofEpochMilli(stored.newestPublished()));
      }
      return stored;
    }
    // The flows now want other event types: a new query, from where the old one had got to. If it
    // had read the log to its end, that is the time of its last poll; if it was still reading a
    // backlog (a backfill, or catching up after downtime), the newest event it had seen.
    Instant now = clock.instant();
    long reached;
    if (stored.polledAt() == null) {
      reached = now.toEpochMilli();
    } else if (stored.caughtUp() || stored.newestPublished() == null) {
      reached = stored.polledAt();
    } else {
      reached = stored.newestPublished();
    }
    Instant since =
        withinRetention(Instant.ofEpochMilli(reached).minus(Duration.ofMinutes(1)), now);
    log.info("The flows' event types changed; polling the System Log anew from {}", since);
    cursors.restart(
        CursorStore.SYSTEM_LOG,
        owner,
        SystemLogQuery.first(since, filter, settings.limit()),
        filter,
        now.toEpochMilli());
    return cursors.find(CursorStore.SYSTEM_LOG).orElseThrow();
  }

  /** The first query of a new cursor: from now, or as far back as asked (within Okta's 90 days). */
  private String firstQuery(String filter) {
    Instant now = clock.instant();
    Instant asked = settings.since() == null ? now : now.minus(settings.since());
    Instant since = withinRetention(asked, now);
    if (!since.equals(asked)) {
      log.warn("hookflow.okta.poll.since reaches past Okta's 90 days; starting 90 days back");
    }
    return SystemLogQuery.first(since, filter, settings.limit());
  }

  /** {@code since}, or the oldest time Okta still keeps (less a minute's margin) if it is older. */
  private static Instant withinRetention(Instant since, Instant now) {
    Instant oldest = now.minus(RETENTION).plusSeconds(60);
    return since.isBefore(now.minus(RETENTION)) ? oldest : since;
  }

  private List<OktaEvent> events(List<JsonNode> page) {
    List<OktaEvent> events = new ArrayList<>(page.size());
    for (int i = 0; i < page.size(); i++) {
      JsonNode node = page.get(i);
      try {
        events.add(OktaEvent.of(node, "System Log event " + i));
      } catch (InvalidEventException e) {
        log.warn("Skipping a System Log event that cannot be read: {}", e.getMessage());
      }
    }
    return events;
  }

  private Duration afterFailure(RuntimeException e) {
    if (e instanceof OktaException okta && okta.rateLimited()) {
      // Counted on Okta's clock where it said the time; never less than a second, so that a reset
      // that seems past (clocks apart) does not turn into a loop of refused requests.
      Duration wait = okta.untilReset(clock).orElse(settings.interval()).plusMillis(100);
      wait = min(max(wait, OktaException.LEAST_RATE_LIMIT_WAIT), settings.maxBackoff());
      Instant until = clock.instant().plus(wait);
      status.rateLimited(until);
      status.failed(e.getMessage());
      holdLeaseFor(wait);
      log.info("Okta rate limit reached; polling again at {}", until);
      return wait;
    }
    int errors = status.failed(e.getMessage());
    Duration wait =
        min(
            settings.interval().multipliedBy(1L << Math.min(errors - 1, 20)),
            settings.maxBackoff());
    if (errors == 1 || errors % 10 == 0) {
      log.warn(
          "System Log poll failed ({} in a row), next try in {}: {}", errors, wait, e.getMessage());
    } else {
      log.debug("System Log poll failed", e);
    }
    return wait;
  }

  private Duration lease() {
    Duration three = settings.interval().multipliedBy(3);
    return three.compareTo(Duration.ofSeconds(30)) > 0 ? three : Duration.ofSeconds(30);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
