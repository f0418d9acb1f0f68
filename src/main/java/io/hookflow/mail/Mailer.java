package io.hookflow.mail;

/** Sends messages: over SMTP, or into the outbox folder when no SMTP server is configured. */
public interface Mailer {

  void send(OutgoingMail mail) throws MailFailure;

  /** Where messages go, for people: {@code smtp://host:port} or the outbox folder. */
  String describe();
}
