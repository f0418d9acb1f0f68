package io.hookflow.mail;

import java.util.List;

/** Messages for the mail tests: one sender, one recipient, the body and kind a test needs. */
final class TestMails {

  private TestMails() {}

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
