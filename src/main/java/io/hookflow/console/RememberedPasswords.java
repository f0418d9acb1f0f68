package io.hookflow.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Checks passwords through a slow hash (bcrypt), and remembers for a few minutes the ones that
 * matched, so that a script or a metrics scraper sending HTTP Basic with every request does not pay
 * a bcrypt check (a good part of a core for a tenth of a second) each time.
 *
 * <p>What is remembered is a keyed hash (HMAC-SHA256 under a key made at start and never kept
 * elsewhere) of the stored hash and the password, never the password. Only passwords that matched
 * are remembered: every wrong guess still costs the full check. A changed password has another
 * stored hash, so what was remembered for the old one no longer matches.
 *
 * <p>So the full checks are rationed: {@value #CLIENT_CHECKS_PER_SECOND} a second for each client
 * address (up to {@value #CLIENT_CHECKS_AT_ONCE} together after a quiet spell) and {@value
 * #CHECKS_PER_SECOND} a second in all (up to {@value #CHECKS_AT_ONCE}). Beyond that a password is
 * refused unchecked ({@link TooManySignIns}). Wrong passwords sent as fast as a client can, from
 * anywhere on the internet, would otherwise take both cores of a small machine and every request
 * thread, and Okta's deliveries would wait past its 3 s; rationed, they take a fraction of one
 * core, and one client guessing leaves the others room to sign in. A remembered password needs no
 * full check and passes meanwhile; it stays remembered while it is used at least every {@link
 * #REMEMBERED_FOR}, so a metrics scraper or a script is never refused for someone else's guessing.
 */
final class RememberedPasswords implements PasswordEncoder {

  static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);
  static final int CHECKS_PER_SECOND = 3;
  static final int CHECKS_AT_ONCE = 6;
  static final int CLIENT_CHECKS_PER_SECOND = 1;
  static final int CLIENT_CHECKS_AT_ONCE = 3;
  private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();
  private static final int MOST = 64;
  private static final int MOST_CLIENTS = 4096;
  private static final Logger log = LoggerFactory.getLogger(RememberedPasswords.class);

  private final PasswordEncoder slow;
  private final Clock clock;
  private final Supplier<String> client;
  private final SecretKeySpec key;
  private final Map<String, Long> matchedUntil = new ConcurrentHashMap<>();

  /** Full checks that may start now, in all and for each client address; guarded by this. */
  private final Ration overall;

  private final Map<String, Ration> clients = new HashMap<>();
  private long warnedAt = Long.MIN_VALUE / 2;
  private int refusedSinceWarning;

  /** Rations per client address as the servlet container sees it (behind a proxy: forwarded). */
  RememberedPasswords(PasswordEncoder slow, Clock clock) {
    this(slow, clock, RememberedPasswords::currentClient);
  }

  RememberedPasswords(PasswordEncoder slow, Clock clock, Supplier<String> client) {
    this.slow = slow;
    this.clock = clock;
    this.client = client;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.overall = new Ration(CHECKS_PER_SECOND, CHECKS_AT_ONCE, clock.millis());
  }

  /** The address of the client whose request is being served; "" outside a request. */
  private static String currentClient() {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
      return request.getRequest().getRemoteAddr();
    }
    return "";
  }

  @Override
  public String encode(CharSequence raw) {
    return slow.encode(raw);
  }

  @Override
  public boolean matches(CharSequence raw, String encoded) {
    if (raw == null || encoded == null) {
      return slow.matches(raw, encoded);
    }
    String remembered = fingerprint(raw, encoded);
    long now = clock.millis();
    Long until = matchedUntil.get(remembered);
    if (until != null && now < until) {
      matchedUntil.put(remembered, now + REMEMBERED_FOR.toMillis());
      return true;
    }
    if (!mayCheck(client.get(), now)) {
      throw new TooManySignIns();
    }
    if (!slow.matches(raw, encoded)) {
      return false;
    }
    if (matchedUntil.size() >= MOST) {
      matchedUntil.clear();
    }
    matchedUntil.put(remembered, now + REMEMBERED_FOR.toMillis());
    return true;
  }

  /** Takes one full check from the client's ration and from the overall one, if both have one. */
  private synchronized boolean mayCheck(String address, long now) {
    Ration own = clients.get(address);
    if (own == null) {
      if (clients.size() >= MOST_CLIENTS) {
        clients.values().removeIf(ration -> ration.full(now));
        if (clients.size() >= MOST_CLIENTS) {
          clients.clear();
        }
      }
      own = new Ration(CLIENT_CHECKS_PER_SECOND, CLIENT_CHECKS_AT_ONCE, now);
      clients.put(address, own);
    }
    if (own.left(now) >= 1 && overall.left(now) >= 1) {
      own.take();
      overall.take();
      return true;
    }
    refusedSinceWarning++;
    if (now - warnedAt >= WARN_EVERY_MILLIS || now < warnedAt) {
      log.warn(
          "Refused {} sign-in attempt(s) unchecked: more passwords are offered than hookflow checks"
              + " ({} a second from one address, {} in all; someone guessing?)",
          refusedSinceWarning,
          CLIENT_CHECKS_PER_SECOND,
          CHECKS_PER_SECOND);
      warnedAt = now;
      refusedSinceWarning = 0;
    }
    return false;
  }

  /** A token bucket: checks that may start now, refilled at a steady rate up to a limit. */
  private static final class Ration {
    private final int perSecond;
    private final int atOnce;
    private double left;
    private long countedAt;

    Ration(int perSecond, int atOnce, long now) {
      this.perSecond = perSecond;
      this.atOnce = atOnce;
      this.left = atOnce;
      this.countedAt = now;
    }

    double left(long now) {
      if (now > countedAt) {
        left = Math.min(atOnce, left + (now - countedAt) * perSecond / 1000.0);
      }
      countedAt = now;
      return left;
    }

    void take() {
      left -= 1;
    }

    boolean full(long now) {
      return left(now) >= atOnce;
    }
  }

  @Override
  public boolean upgradeEncoding(String encoded) {
    return slow.upgradeEncoding(encoded);
  }

  private String fingerprint(CharSequence raw, String encoded) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(encoded.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(raw.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
