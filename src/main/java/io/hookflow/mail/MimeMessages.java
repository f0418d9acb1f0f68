package io.hookflow.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Turns an {@link OutgoingMail} into a MIME message that keeps its given Message-ID. */
final class MimeMessages {

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
    message.setSentDate(Date.from(sentAt));
    message.saveChanges();
    return message;
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
