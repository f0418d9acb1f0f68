package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.AddressException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeadersTest {

  /**
   * Every control character: POSIX's, the Unicode line and paragraph separators, and the
   * bidirectional embeddings, overrides and isolates.
   */
  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085\\u202A-\\u202E\\u2066-\\u2069]");

  @Test
  void everyControlCharacterBecomesASpaceAndNothingElseChanges() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String value = "Eve" + c + "Bcc: x@example.test";
      String expected =
          CONTROL.matcher(String.valueOf(c)).matches() ? "Eve Bcc: x@example.test" : value;

      assertThat(Headers.oneLine(value)).as("U+%04X", (int) c).isEqualTo(expected);
    }
    assertThat(Headers.oneLine("  Eve\r\n\r\nBcc: x  ")).isEqualTo("Eve Bcc: x");
    assertThat(Headers.oneLine("Invoice\u202Efdp.exe")).isEqualTo("Invoice fdp.exe");
    assertThat(Headers.oneLine("\u0646\u200C\u0627"))
        .as("a joiner is text")
        .isEqualTo("\u0646\u200C\u0627");
  }

  @Test
  void aMessageIdKeepsASafeEventIdAndHashesAnyOther() {
    String safe = "3f6c1a52-c0de-11f1-9a10_2b7e5c4d8e01.Z" + "x".repeat(26);
    String id = Headers.messageId(safe, "Flow", 2, "hookflow.test");

    assertThat(safe).hasSize(64);
    assertThat(id).startsWith("<" + safe + ".").endsWith(".2@hookflow.test>");
    assertThat(Headers.messageId(safe + "x", "Flow", 2, "hookflow.test"))
        .matches("<[0-9a-f]{32}\\.[0-9a-f]{12}\\.2@hookflow\\.test>");
    assertThat(Headers.messageId("a<b>@c", "Flow", 2, "hookflow.test"))
        .matches("<[0-9a-f]{32}\\.[0-9a-f]{12}\\.2@hookflow\\.test>");
    assertThat(Headers.messageId("Zoë", "Flow", 2, "hookflow.test")).doesNotContain("Zoë");
  }

  @Test
  void anAddressWithAControlCharacterIsRefused() throws AddressException {
    assertThat(Headers.address(" Zoë <zoe@example.test> ")).isEqualTo("\"Zoë\" <zoe@example.test>");
    assertThatThrownBy(() -> Headers.address("zoe@example.test\u2028"))
        .isInstanceOf(AddressException.class);
    assertThatThrownBy(() -> Headers.address("zoe@example.test\rBcc: x@example.test"))
        .isInstanceOf(AddressException.class);
  }

  @Test
  void bidiControlsLeaveADisplayNameAndRefuseAnAddress() throws AddressException {
    assertThat(Headers.address("Jordan \u202Eevil <jordan@example.test>"))
        .isEqualTo("Jordan  evil <jordan@example.test>");
    assertThat(Headers.address("J\u2067x\u2069 <jordan@example.test>"))
        .isEqualTo("J x <jordan@example.test>");
    assertThatThrownBy(() -> Headers.address("jor\u202Edan@example.test"))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void anAddressThatWouldSendToSeveralOrCannotGoOverSmtpIsRefused() {
    assertThatThrownBy(() -> Headers.address("x: a@example.test, b@example.test;"))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("group");
    assertThatThrownBy(() -> Headers.address("x:;"))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("group");
    assertThatThrownBy(() -> Headers.address("иван@example.test"))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("not ASCII");
  }

  /**
   * A template that fixes the domain, {@code {{user.login}}@corp.example}, must not send elsewhere
   * whatever the event's text: Jakarta Mail's parser, strict as it is, takes the address out of
   * text around it, and passes a source route on to the relay.
   */
  @Test
  void anAddressCarriedInOtherTextIsRefused() throws AddressException {
    for (String hostile :
        List.of(
            "<attacker@evil.example>@corp.example",
            "jordan<attacker@evil.example>@corp.example",
            "audit+<attacker@evil.example>@corp.example",
            "Jordan <attacker@evil.example> (jordan@corp.example)")) {
      assertThatThrownBy(() -> Headers.address(hostile))
          .as(hostile)
          .isInstanceOf(AddressException.class)
          .hasMessageContaining("text around the address");
    }
    assertThatThrownBy(() -> Headers.address("<@evil.example:victim@corp.example>"))
        .isInstanceOf(AddressException.class)
        .hasMessageContaining("source route");

    assertThat(Headers.address(" jordan@corp.example ")).isEqualTo("jordan@corp.example");
    assertThat(Headers.address("<jordan@corp.example>")).isEqualTo("jordan@corp.example");
    assertThat(Headers.address("Audit Team < audit@corp.example >"))
        .isEqualTo("Audit Team <audit@corp.example>");
    assertThat(Headers.address("\"Doe, Jordan <j>\" <jordan@corp.example>"))
        .isEqualTo("\"Doe, Jordan <j>\" <jordan@corp.example>");
    assertThat(Headers.address("\"jordan doe\"@corp.example"))
        .isEqualTo("<\"jordan doe\"@corp.example>");
  }
}
