package io.hookflow;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/**
 * What a GreenMail server received, counted as messages rather than per recipient (GreenMail stores
 * one copy for each recipient).
 */
public final class Mailbox {

  private Mailbox() {}

  /** One entry per distinct Message-ID. */
  public static List<MimeMessage> messages(GreenMailExtension smtp) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(distinctBy(new java.util.HashSet<>()))
        .toList();
  }

  public static int count(GreenMailExtension smtp) {
    return messages(smtp).size();
  }

  public static MimeMessage withSubjectStarting(GreenMailExtension smtp, String start) {
    return messages(smtp).stream()
        .filter(m -> subject(m).startsWith(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message with a subject starting " + start));
  }

  public static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.function.Predicate<MimeMessage> distinctBy(java.util.Set<String> seen) {
    return message -> {
      try {
        return seen.add(message.getMessageID());
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
