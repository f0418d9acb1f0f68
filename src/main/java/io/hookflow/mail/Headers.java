package io.hookflow.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.net.IDN;
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

  /**
   * Control characters, the Unicode line and paragraph separators, and the bidirectional
   * embeddings, overrides and isolates, which would let event text show a subject or name in
   * another order than it is ("Invoice", U+202E, "fdp.exe" reads "Invoiceexe.pdf").
   */
  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085\\u202A-\\u202E\\u2066-\\u2069]+");

  private Headers() {}

  /**
   * One line of text: every control character, CR and LF first of all, becomes a space, and so does
   * every bidirectional override.
   */
  public static String oneLine(String value) {
    return hasControl(value) ? CONTROL.matcher(value).replaceAll(" ").strip() : value.strip();
  }

  /**
   * Checks one rendered address; an address carrying a control character is refused, never
   * repaired, since it can only come from hostile or broken data. Bidirectional controls are
   * refused in the address itself and taken out of a display name, where right-to-left names may
   * carry them.
   */
  public static String address(String value) throws AddressException {
    if (hasControl(value, false)) {
      throw new AddressException("address contains a control character", oneLine(value));
    }
    return mailbox(value).toUnicodeString();
  }

  /**
   * Checks the sender a setting or option gives: one address, or else an {@link
   * IllegalArgumentException} naming the setting, since every message would fail with it.
   */
  public static void sender(String value, String setting) {
    try {
      address(value);
    } catch (AddressException e) {
      throw new IllegalArgumentException(
          setting
              + " is "
              + oneLine(value)
              + "; one address is needed, name@domain or Name <name@domain>: "
              + e.getMessage());
    }
  }

  /**
   * One mailbox, parsed strictly and made fit for a header and an SMTP command: a group ({@code
   * name: a@x, b@y;}, which would send to every member) is refused, as is text around the address
   * or a source route (either could send elsewhere than the text seems to say), an international
   * domain becomes its ASCII form, a mailbox name outside ASCII is refused (it needs SMTPUTF8,
   * which hookflow does not use: Jakarta Mail would cut each character to a byte), and a display
   * name outside ASCII is written as a UTF-8 encoded word rather than as raw characters, which
   * Jakarta Mail would also cut to bytes, some of them CR or LF.
   */
  public static InternetAddress mailbox(String value) throws AddressException {
    String text = value.strip();
    InternetAddress parsed = new InternetAddress(text, true);
    if (parsed.isGroup()) {
      throw new AddressException("a group of addresses where one address is expected", value);
    }
    parsed.validate();
    String address = parsed.getAddress();
    // The parser takes the address out of text around it: "<x@evil.example>@corp.example",
    // rendered from a template that fixes the domain, would send to evil.example.
    if (!text.equals(address) && !bracketed(text, address)) {
      throw new AddressException(
          "text around the address (only name@domain or Name <name@domain> is taken)", value);
    }
    if (hasControl(address, true)) {
      throw new AddressException("address contains a control character", oneLine(value));
    }
    if (address.startsWith("@")) {
      throw new AddressException(
          "a source route (<@relay:name@domain>), which a relay may follow elsewhere", value);
    }
    int at = address.lastIndexOf('@');
    String local = at < 0 ? address : address.substring(0, at);
    if (!ascii(local)) {
      throw new AddressException(
          "the mailbox name is not ASCII (that needs SMTPUTF8, which hookflow does not use)",
          value);
    }
    if (at >= 0 && !ascii(address)) {
      try {
        address = local + "@" + IDN.toASCII(address.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw new AddressException("the domain is not a valid domain name", value);
      }
    }
    String personal = parsed.getPersonal();
    if (personal == null && address.equals(parsed.getAddress())) {
      return parsed;
    }
    try {
      return new InternetAddress(
          address, personal == null ? null : oneLine(personal), StandardCharsets.UTF_8.name());
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
  }

  private static boolean ascii(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@link #CONTROL} matches anywhere, without a matcher for the usual text that has none.
   */
  private static boolean hasControl(String value) {
    return hasControl(value, true);
  }

  private static boolean hasControl(String value, boolean bidi) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20
          || c == 0x7f
          || c == 0x85
          || c == 0x2028
          || c == 0x2029
          || (bidi && ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the text ends with the address in angle brackets, spaces allowed inside them. */
  private static boolean bracketed(String text, String address) {
    int open = text.lastIndexOf('<');
    return open >= 0
        && text.endsWith(">")
        && text.substring(open + 1, text.length() - 1).strip().equals(address);
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
