package io.hookflow.mail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends messages: over SMTP, or into the outbox folder when no SMTP server is configured. */
public interface Mailer {

  void send(OutgoingMail mail) throws MailFailure;

  /**
   * Sends a message whose acceptance may be told later: the future completes once the server took
   * it, or fails with the {@link MailFailure} it came to. Where the mailer leaves replies to be
   * read later, {@link #readAwaitedReplies} must follow once no further message is coming soon.
   */
  default CompletableFuture<Void> sendConfirmedLater(OutgoingMail mail) {
    try {
      send(mail);
      return CompletableFuture.completedFuture(null);
    } catch (MailFailure e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Reads the replies to messages sent that are yet to be read and were sent at least {@code
   * olderThan} ago, telling their senders.
   */
  default void readAwaitedReplies(Duration olderThan) {}

  /** Where messages go, for people: {@code smtp://host:port} or the outbox folder. */
  String describe();
}
