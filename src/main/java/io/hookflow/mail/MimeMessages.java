package io.hookflow.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Turns an {@link OutgoingMail} into a MIME message that keeps its given Message-ID. */
final class MimeMessages {

  /** RFC 5322's date-time, in UTC. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private static final int MAX_7BIT_LINE = 998;

  private MimeMessages() {}

  static MimeMessage build(Session session, OutgoingMail mail, Instant sentAt)
      throws MessagingException {
    MimeMessage message = new FixedIdMessage(session, mail.messageId());
    message.setFrom(new InternetAddress(mail.from(), true));
    message.setRecipients(Message.RecipientType.TO, addresses(mail.to()));
    message.setRecipients(Message.RecipientType.CC, addresses(mail.cc()));
    message.setRecipients(Message.RecipientType.BCC, addresses(mail.bcc()));
    message.setSubject(Headers.oneLine(mail.subject()), "UTF-8");
    message.setText(mail.body(), "UTF-8", mail.html() ? "html" : "plain");
    // Both chosen here rather than by Jakarta Mail on save, which reads the whole body through its
    // data handler to pick the encoding and formats the date with a SimpleDateFormat: together a
    // sixth of the cost of a mail.
    message.setHeader("Content-Transfer-Encoding", transferEncoding(mail.body()));
    message.setHeader("Date", DATE.format(sentAt));
    message.saveChanges();
    return message;
  }

  /**
   * {@code 7bit} for ASCII text in lines the SMTP limit allows; else {@code quoted-printable},
   * which keeps mostly-ASCII text readable in the raw message.
   */
  static String transferEncoding(String body) {
    int line = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c >= 128 || c == 0) {
        return "quoted-printable";
      }
      line = c == '\n' || c == '\r' ? 0 : line + 1;
      if (line > MAX_7BIT_LINE) {
        return "quoted-printable";
      }
    }
    return "7bit";
  }

  private static InternetAddress[] addresses(List<String> addresses) throws MessagingException {
    InternetAddress[] parsed = new InternetAddress[addresses.size()];
    for (int i = 0; i < parsed.length; i++) {
      parsed[i] = new InternetAddress(addresses.get(i), true);
    }
    return parsed;
  }

  /** Jakarta Mail replaces the Message-ID on every save; this one keeps ours. */
  private static final class FixedIdMessage extends MimeMessage {

    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
