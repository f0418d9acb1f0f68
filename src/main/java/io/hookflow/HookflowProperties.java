package io.hookflow;

import io.hookflow.mail.Headers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code hookflow.*}, with its defaults beside each field.
 *
 * @param flows folder of flow files ({@code *.yaml}, {@code *.yml})
 * @param data folder for the embedded database, the generated hook secret and the mail outbox
 * @param retention events and their runs older than this are pruned; 0 keeps them forever. A bare
 *     number is days; anything else under a day is refused: retention also forgets the events'
 *     uuids, by which a delivery Okta sends again is known
 */
@ConfigurationProperties("hookflow")
public record HookflowProperties(
    @DefaultValue("./flows") Path flows,
    @DefaultValue("./data") Path data,
    @DefaultValue Hook hook,
    @DefaultValue Mail mail,
    @DefaultValue Runs runs,
    @DefaultValue Okta okta,
    @DefaultValue Store store,
    @DefaultValue("90d") @DurationUnit(ChronoUnit.DAYS) Duration retention) {

  public HookflowProperties {
    if (retention != null && !retention.isZero() && retention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "hookflow.retention is "
              + retention
              + "; keep events at least a day (e.g. 90d, or a bare number of days), or 0 to keep"
              + " everything: a shorter retention forgets the events' uuids, and a delivery Okta"
              + " sends again would run again");
    }
  }

  /**
   * The store, as watched while the service runs.
   *
   * @param stallAfter a commit under way for longer than this (a lock held elsewhere, a stalled
   *     disk or server) marks the store down in health and is logged: deliveries wait for it, and
   *     Okta gives a delivery 3 seconds
   */
  public record Store(@DefaultValue("5s") Duration stallAfter) {

    public Store {
      if (stallAfter != null && (stallAfter.isNegative() || stallAfter.isZero())) {
        throw new IllegalArgumentException(
            "hookflow.store.stall-after is "
                + stallAfter.toMillis()
                + "ms; a duration above 0 (e.g. 5s)");
      }
    }
  }

  /**
   * The Okta event hook endpoint.
   *
   * @param secret the value Okta sends in its authentication header; generated when unset
   * @param header the authentication header's name, as typed into Okta's "Authentication field"
   * @param maxBody largest delivery body accepted
   * @param maxEvents most events one delivery may hold: each is held in memory until the delivery
   *     is stored, and Okta's are over a kilobyte each, so the default refuses only bodies of
   *     events far smaller than Okta's that would fill the heap
   */
  public record Hook(
      String secret,
      @DefaultValue("Authorization") String header,
      @DefaultValue("5MB") DataSize maxBody,
      @DefaultValue("10000") int maxEvents) {

    public Hook {
      if (maxEvents < 1) {
        throw new IllegalArgumentException(
            "hookflow.hook.max-events is " + maxEvents + "; a delivery must be able to hold one");
      }
    }
  }

  /**
   * Outgoing mail; the SMTP server itself is {@code spring.mail.*}.
   *
   * @param from sender address of every message
   * @param messageIdDomain right-hand side of generated Message-IDs
   * @param connections SMTP connections kept open and reused
   * @param idleTimeout an SMTP connection idle longer than this is closed before reuse
   * @param pipelining send a message's commands together where the server offers PIPELINING
   * @param oauth2 Gmail's XOAUTH2, used instead of a password when a refresh token is set
   */
  public record Mail(
      @DefaultValue("hookflow@localhost") String from,
      @DefaultValue("hookflow.local") String messageIdDomain,
      @DefaultValue("8") int connections,
      @DefaultValue("60s") Duration idleTimeout,
      @DefaultValue("true") boolean pipelining,
      @DefaultValue OAuth2 oauth2) {

    /** Letters, digits, hyphens and dots between labels: a domain name, as Message-IDs need. */
    private static final Pattern DOMAIN =
        Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");

    public Mail {
      // Checked here rather than at each message: a sender the mail library cannot take fails
      // every run for good, and a bad Message-ID domain makes every message's ID invalid.
      Headers.sender(from, "hookflow.mail.from");
      if (!DOMAIN.matcher(messageIdDomain).matches()) {
        throw new IllegalArgumentException(
            "hookflow.mail.message-id-domain is "
                + Headers.oneLine(messageIdDomain)
                + "; a domain name is needed, such as hookflow.example.com");
      }
    }
  }

  /**
   * OAuth 2.0 refresh-token grant for SMTP XOAUTH2 (Gmail).
   *
   * @param tokenUri the provider's token endpoint
   */
  public record OAuth2(
      String clientId,
      String clientSecret,
      String refreshToken,
      @DefaultValue("https://oauth2.googleapis.com/token") String tokenUri) {

    public boolean enabled() {
      return refreshToken != null && !refreshToken.isBlank();
    }
  }

  /**
   * Background execution of runs.
   *
   * @param workers threads executing runs; 0 accepts events without running them
   * @param pollInterval how often idle workers look for due runs
   * @param lease how long a claimed run stays with its worker before another may take it over
   * @param retry backoff for failures that may pass
   * @param yieldAt while at least this many deliveries are being taken in at once, runs start one
   *     at a time, leaving the CPU to the acknowledgements; 0 (the default) never
   * @param unrecordedEnds most ends of its runs (each with the message it sent last) a worker
   *     leaves waiting for their commit while it goes on, which bounds the messages a crash sends
   *     again; 0 (the default) no limit
   */
  public record Runs(
      @DefaultValue("8") int workers,
      @DefaultValue("500ms") Duration pollInterval,
      @DefaultValue("1m") Duration lease,
      @DefaultValue Retry retry,
      @DefaultValue("0") int yieldAt,
      @DefaultValue("0") int unrecordedEnds) {

    public Runs {
      if (unrecordedEnds < 0) {
        throw new IllegalArgumentException(
            "hookflow.runs.unrecorded-ends is " + unrecordedEnds + "; 0 (no limit) or more");
      }
      if (workers < 0) {
        throw new IllegalArgumentException(
            "hookflow.runs.workers is " + workers + "; 0 or more (0 stores events, runs nothing)");
      }
      if (yieldAt < 0) {
        throw new IllegalArgumentException(
            "hookflow.runs.yield-at is " + yieldAt + "; 0 or more (0: runs never yield)");
      }
    }
  }

  /**
   * Exponential backoff: the n-th retry waits {@code initialBackoff * multiplier^(n-1)}, at most
   * {@code maxBackoff}; a run is failed after {@code maxAttempts} attempts.
   */
  public record Retry(
      @DefaultValue("8") int maxAttempts,
      @DefaultValue("30s") Duration initialBackoff,
      @DefaultValue("2.0") double multiplier,
      @DefaultValue("1h") Duration maxBackoff) {

    public Retry {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "hookflow.runs.retry.max-attempts is " + maxAttempts + "; a run has at least one");
      }
      if (multiplier < 1) {
        throw new IllegalArgumentException(
            "hookflow.runs.retry.multiplier is " + multiplier + "; 1 or more");
      }
    }
  }

  /**
   * The Okta API; nothing Okta-related starts unless {@code orgUrl} is set.
   *
   * @param orgUrl e.g. {@code https://example.okta.com}
   * @param apiToken an SSWS API token; or else the OAuth 2.0 service app below
   * @param clientId the OAuth 2.0 service app's client id
   * @param privateKey its private key: PEM text, or the path of a PEM file
   * @param scopes granted to the service app
   * @param timeout for connecting to and reading from Okta
   * @param poll the System Log poller
   */
  public record Okta(
      String orgUrl,
      String apiToken,
      String clientId,
      String privateKey,
      @DefaultValue({
            "okta.logs.read",
            "okta.users.read",
            "okta.eventHooks.manage",
            "okta.apps.read"
          })
          List<String> scopes,
      @DefaultValue("30s") Duration timeout,
      @DefaultValue Poll poll) {

    public boolean configured() {
      return orgUrl != null && !orgUrl.isBlank();
    }
  }

  /**
   * Polling the System Log, so events arrive without an inbound port and after downtime.
   *
   * @param enabled off unless asked for
   * @param interval pause between polls once the log is read to its end
   * @param since on the first start only, how far back to begin (e.g. {@code P1D}); now if unset
   * @param limit events asked for per page
   * @param maxBackoff longest pause after repeated errors
   */
  public record Poll(
      @DefaultValue("false") boolean enabled,
      @DefaultValue("5s") Duration interval,
      Duration since,
      @DefaultValue("1000") int limit,
      @DefaultValue("5m") Duration maxBackoff) {}
}
