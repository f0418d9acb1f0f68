package io.hookflow.mail;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * For the mail tests: messages with one sender and one recipient and the body and kind a test
 * needs, and mailers to an SMTP server on this machine with short timeouts.
 */
final class TestMails {

  private TestMails() {}

  static SmtpMailer mailer(int port, int connections, boolean pipelining) {
    return mailer(port, connections, pipelining, new Properties(), "smtp");
  }

  /** With Jakarta Mail properties {@code more} over the short timeouts, and a protocol. */
  static SmtpMailer mailer(
      int port, int connections, boolean pipelining, Properties more, String protocol) {
    JavaMailSenderImpl sender = new JavaMailSenderImpl();
    sender.setHost("127.0.0.1");
    sender.setPort(port);
    sender.setProtocol(protocol);
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.connectiontimeout", "2000");
    properties.setProperty("mail.smtp.timeout", "1000");
    properties.setProperty("mail.smtp.writetimeout", "1000");
    properties.putAll(more);
    sender.setJavaMailProperties(properties);
    return new SmtpMailer(
        sender, null, connections, Duration.ofMinutes(1), pipelining, Clock.systemUTC());
  }

  static OutgoingMail toAudit(String body, boolean html) {
    return new OutgoingMail(
        "<run.1@hookflow.test>",
        "hookflow@example.test",
        List.of("audit@example.test"),
        List.of(),
        List.of(),
        "Subject",
        body,
        html);
  }
}
