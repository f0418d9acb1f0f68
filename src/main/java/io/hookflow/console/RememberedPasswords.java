package io.hookflow.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

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
 * <p>So the full checks are rationed: {@value #CHECKS_PER_SECOND} a second on average, up to
 * {@value #CHECKS_AT_ONCE} together after a quiet spell. Beyond that a password is refused
 * unchecked ({@link TooManySignIns}). Wrong passwords sent as fast as a client can, from anywhere
 * on the internet, would otherwise take both cores of a small machine and every request thread, and
 * Okta's deliveries would wait past its 3 s; rationed, they take a fraction of one core. A
 * remembered password needs no full check and passes meanwhile.
 */
final class RememberedPasswords implements PasswordEncoder {

  static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);
  static final int CHECKS_PER_SECOND = 2;
  static final int CHECKS_AT_ONCE = 4;
  private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();
  private static final int MOST = 64;
  private static final Logger log = LoggerFactory.getLogger(RememberedPasswords.class);

  private final PasswordEncoder slow;
  private final Clock clock;
  private final SecretKeySpec key;
  private final Map<String, Long> matchedUntil = new ConcurrentHashMap<>();

  /** Full checks that may start now, and when that was counted. */
  private double checksLeft = CHECKS_AT_ONCE;

  private long countedAt;
  private long warnedAt = Long.MIN_VALUE / 2;
  private int refusedSinceWarning;

  RememberedPasswords(PasswordEncoder slow, Clock clock) {
    this.slow = slow;
    this.clock = clock;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.countedAt = clock.millis();
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
      return true;
    }
    if (!mayCheck(now)) {
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

  /** Takes one full check from the ration, if one is left. */
  private synchronized boolean mayCheck(long now) {
    if (now > countedAt) {
      checksLeft =
          Math.min(CHECKS_AT_ONCE, checksLeft + (now - countedAt) * CHECKS_PER_SECOND / 1000.0);
    }
    countedAt = now;
    if (checksLeft >= 1) {
      checksLeft -= 1;
      return true;
    }
    refusedSinceWarning++;
    if (now - warnedAt >= WARN_EVERY_MILLIS || now < warnedAt) {
      log.warn(
          "Refused {} sign-in attempt(s) unchecked: more passwords are offered than the {} a"
              + " second hookflow checks (someone guessing?)",
          refusedSinceWarning,
          CHECKS_PER_SECOND);
      warnedAt = now;
      refusedSinceWarning = 0;
    }
    return false;
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
