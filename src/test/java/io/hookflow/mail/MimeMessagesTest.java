package io.hookflow.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import io.hookflow.MailServer;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

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

  @Test
  void eachSecondHasItsOwnDate() {
    assertThat(MimeMessages.date(SENT)).isEqualTo("Sat, 28 Nov 2026 19:29:01 +0000");
    assertThat(MimeMessages.date(SENT.plusMillis(249)))
        .isEqualTo("Sat, 28 Nov 2026 19:29:01 +0000");
    assertThat(MimeMessages.date(SENT.plusMillis(250)))
        .isEqualTo("Sat, 28 Nov 2026 19:29:02 +0000");
    assertThat(MimeMessages.date(SENT.minusSeconds(86_400)))
        .isEqualTo("Fri, 27 Nov 2026 19:29:01 +0000");
  }

  @Test
  void namesAndSubjectOutsideAsciiAreEncodedAndReadBack() throws Exception {
    OutgoingMail mail =
        new OutgoingMail(
            "<run.2@hookflow.test>",
            "Höökflow <hookflow@example.test>",
            List.of("Zoë Ångström <zoe@example.test>"),
            List.of("ops@example.test"),
            List.of(),
            "Zoë Ångström unassigned from Salesforce.com 🚀",
            "Bye.",
            false);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    MimeMessages.build(SESSION, mail, SENT).writeTo(raw);

    assertThat(raw.toString(StandardCharsets.ISO_8859_1)).matches("\\p{ASCII}*");
    MimeMessage sent = new MimeMessage(SESSION, new ByteArrayInputStream(raw.toByteArray()));
    assertThat(sent.getSubject()).isEqualTo("Zoë Ångström unassigned from Salesforce.com 🚀");
    assertThat(((InternetAddress) sent.getFrom()[0]).getPersonal()).isEqualTo("Höökflow");
    assertThat(sent.getRecipients(Message.RecipientType.TO))
        .extracting(a -> ((InternetAddress) a).getPersonal())
        .containsExactly("Zoë Ångström");
    assertThat(sent.getRecipients(Message.RecipientType.CC))
        .extracting(Address::toString)
        .containsExactly("ops@example.test");
  }

  @Test
  void namesWhoseCharactersCutToAByteWouldBreakTheHeaderAreEncodedWhole() throws Exception {
    // Each of č (U+010D), Њ (U+040A) and 上 (U+4E0A) ends in the byte of CR or LF, and ĺ (U+013A)
    // in that of ':': written as raw characters cut to bytes, this name would add header lines.
    String name = "Lucie Nováčková ЊBcc上ĺ 上官婉儿";
    OutgoingMail mail =
        new OutgoingMail(
            "<run.4@hookflow.test>",
            "hookflow@example.test",
            List.of(Headers.address(name + " <lucie@example.test>")),
            List.of(Headers.address("Иван <ivan@пример.испытание>")),
            List.of(),
            "Subject",
            "Bye.",
            false);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    MimeMessages.build(SESSION, mail, SENT).writeTo(raw);

    assertThat(raw.toString(StandardCharsets.ISO_8859_1)).matches("\\p{ASCII}*");
    MimeMessage sent = new MimeMessage(SESSION, new ByteArrayInputStream(raw.toByteArray()));
    assertThat(sent.getHeader("Bcc")).isNull();
    assertThat(sent.getRecipients(Message.RecipientType.TO))
        .extracting(a -> ((InternetAddress) a).getPersonal())
        .containsExactly(name);
    assertThat(sent.getRecipients(Message.RecipientType.CC))
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("ivan@xn--e1afmkfd.xn--80akhbyknj4f");
  }

  @Test
  void manyRecipientsFoldTheHeaderWithinTheLineLimit() throws Exception {
    List<String> to = IntStream.range(0, 200).mapToObj(i -> "user" + i + "@example.test").toList();
    OutgoingMail mail =
        new OutgoingMail(
            "<run.3@hookflow.test>",
            "hookflow@example.test",
            to,
            List.of(),
            List.of(),
            "Subject",
            "Bye.",
            false);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    MimeMessages.build(SESSION, mail, SENT).writeTo(raw);

    assertThat(raw.toString(StandardCharsets.US_ASCII).split("\r\n"))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    MimeMessage sent = new MimeMessage(SESSION, new ByteArrayInputStream(raw.toByteArray()));
    assertThat(sent.getRecipients(Message.RecipientType.TO)).hasSize(200);
  }

  @Test
  void overSmtpEveryRecipientGetsItAndNoneSeesTheBcc() throws Exception {
    try (MailServer server = new MailServer()) {
      GreenMail smtp = server.start();
      JavaMailSenderImpl sender = new JavaMailSenderImpl();
      sender.setHost("127.0.0.1");
      sender.setPort(server.port());
      sender.setProtocol("smtp");
      SmtpMailer mailer =
          new SmtpMailer(
              sender, null, 1, Duration.ofMinutes(1), true, Clock.fixed(SENT, ZoneOffset.UTC));
      try {
        mailer.send(
            new OutgoingMail(
                "<run.4@hookflow.test>",
                "hookflow@example.test",
                List.of("audit@example.test"),
                List.of("ops@example.test"),
                List.of("hidden@example.test"),
                "Subject",
                "Bye.",
                false));
      } finally {
        mailer.destroy();
      }

      assertThat(smtp.getReceivedMessages()).hasSize(3);
      for (MimeMessage received : smtp.getReceivedMessages()) {
        assertThat(received.getHeader("Bcc")).isNull();
        assertThat(received.getHeader("To")).containsExactly("audit@example.test");
        assertThat(received.getHeader("Cc")).containsExactly("ops@example.test");
        assertThat(received.getMessageID()).isEqualTo("<run.4@hookflow.test>");
        assertThat(received.getContent()).isEqualTo("Bye.");
      }
      GreenMailUser hidden = smtp.getUserManager().getUserByEmail("hidden@example.test");
      assertThat(smtp.getManagers().getImapHostManager().getInbox(hidden).getMessageCount())
          .isEqualTo(1);
    }
  }

  private static MimeMessage roundTrip(String body, boolean html) throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    MimeMessages.build(SESSION, TestMails.toAudit(body, html), SENT).writeTo(raw);
    return new MimeMessage(SESSION, new ByteArrayInputStream(raw.toByteArray()));
  }
}
