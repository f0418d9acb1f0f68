package io.hookflow.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Header values made safe from event data, and Message-IDs made from a run's identity. */
public final class Headers {

  /** Flow names are few and fixed: each one's hash is worked out once. */
  private static final Map<String, String> FLOW_HASHES = new ConcurrentHashMap<>();

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");

  private Headers() {}

  /** One line of text: every control character, CR and LF first of all, becomes a space. */
  public static String oneLine(String value) {
    return hasControl(value) ? CONTROL.matcher(value).replaceAll(" ").strip() : value.strip();
  }

  /**
   * Checks one rendered address; an address carrying a control character is refused, never
   * repaired, since it can only come from hostile or broken data.
   */
  public static String address(String value) throws AddressException {
    if (hasControl(value)) {
      throw new AddressException("address contains a control character", oneLine(value));
    }
    InternetAddress parsed = new InternetAddress(value.strip(), true);
    parsed.validate();
    return parsed.toString();
  }

  /**
   * Whether {@link #CONTROL} matches anywhere, without a matcher for the usual text that has none.
   */
  private static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
        return true;
      }
    }
    return false;
  }

  /**
   * The Message-ID of a step's message: the same for every attempt, so a message sent twice (an
   * SMTP session cut after the server took it) is recognisable as one.
   */
  public static String messageId(String eventUuid, String flow, int step, String domain) {
    String event = idSafe(eventUuid) ? eventUuid : sha256(eventUuid, 32);
    return "<"
        + event
        + "."
        + FLOW_HASHES.computeIfAbsent(flow, f -> sha256(f, 12))
        + "."
        + step
        + "@"
        + domain
        + ">";
  }

  /** Whether the text may stand in a Message-ID as it is: 1 to 64 of {@code A-Za-z0-9._-}. */
  private static boolean idSafe(String value) {
    if (value.isEmpty() || value.length() > 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!safe) {
        return false;
      }
    }
    return true;
  }

  private static String sha256(String value, int hexDigits) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexDigits);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
