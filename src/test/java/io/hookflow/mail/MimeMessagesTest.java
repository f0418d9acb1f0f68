package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MimeMessagesTest {

  private static final Session SESSION = Session.getInstance(new Properties());
  private static final Instant SENT = Instant.parse("2026-11-28T19:29:01.750Z");

  @Test
  void asciiTextGoesAs7bit() throws Exception {
    MimeMessage sent = roundTrip("Morgan Blake was unassigned from Salesforce.com.\r\nBye.", false);

    assertThat(sent.getEncoding()).isEqualTo("7bit");
    assertThat(sent.getContent())
        .isEqualTo("Morgan Blake was unassigned from Salesforce.com.\r\nBye.");
  }

  @Test
  void otherTextGoesAsQuotedPrintableAndReadsBackTheSame() throws Exception {
    String body = "Zoë Ångström was unassigned from Salesforce.com 🚀";
    MimeMessage sent = roundTrip(body, false);

    assertThat(sent.getEncoding()).isEqualTo("quoted-printable");
    assertThat(sent.getContent()).isEqualTo(body);
    assertThat(sent.getContentType()).contains("charset=UTF-8");
  }

  @Test
  void linesLongerThanSmtpAllowsAreEncoded() throws Exception {
    String body = "<p>" + "x".repeat(2_000) + "</p>";
    MimeMessage sent = roundTrip(body, true);

    assertThat(sent.getEncoding()).isEqualTo("quoted-printable");
    assertThat(sent.getContent()).isEqualTo(body);
    assertThat(sent.getContentType()).startsWith("text/html");
    assertThat(MimeMessages.transferEncoding("x".repeat(998) + "\n" + "y".repeat(998)))
        .isEqualTo("7bit");
    assertThat(MimeMessages.transferEncoding("x".repeat(999))).isEqualTo("quoted-printable");
  }

  @Test
  void theDateIsTheSendingTimeToTheSecond() throws Exception {
    MimeMessage sent = roundTrip("hi", false);

    assertThat(sent.getHeader("Date")[0]).isEqualTo("Sat, 28 Nov 2026 19:29:01 +0000");
    assertThat(sent.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-11-28T19:29:01Z"));
    assertThat(sent.getMessageID()).isEqualTo("<run.1@hookflow.test>");
  }

  private static MimeMessage roundTrip(String body, boolean html) throws Exception {
    OutgoingMail mail =
        new OutgoingMail(
            "<run.1@hookflow.test>",
            "hookflow@example.test",
            List.of("audit@example.test"),
            List.of(),
            List.of(),
            "Subject",
            body,
            html);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    MimeMessages.build(SESSION, mail, SENT).writeTo(raw);
    return new MimeMessage(SESSION, new ByteArrayInputStream(raw.toByteArray()));
  }
}
