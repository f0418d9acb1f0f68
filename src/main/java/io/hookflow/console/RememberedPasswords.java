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
 */
final class RememberedPasswords implements PasswordEncoder {

  static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);
  private static final int MOST = 64;

  private final PasswordEncoder slow;
  private final Clock clock;
  private final SecretKeySpec key;
  private final Map<String, Long> matchedUntil = new ConcurrentHashMap<>();

  RememberedPasswords(PasswordEncoder slow, Clock clock) {
    this.slow = slow;
    this.clock = clock;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
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
    if (!slow.matches(raw, encoded)) {
      return false;
    }
    if (matchedUntil.size() >= MOST) {
      matchedUntil.clear();
    }
    matchedUntil.put(remembered, now + REMEMBERED_FOR.toMillis());
    return true;
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
