package io.hookflow.mail;

import java.util.List;

/**
 * One message, ready to send: addresses already checked, texts already rendered.
 *
 * @param messageId the Message-ID, the same for every attempt of the same step of the same run
 */
public record OutgoingMail(
    String messageId,
    String from,
    List<String> to,
    List<String> cc,
    List<String> bcc,
    String subject,
    String body,
    boolean html) {}
