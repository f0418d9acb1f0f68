package io.hookflow.mail;

import io.hookflow.OwnerOnly;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Properties;

/** Writes each message as an {@code .eml} file: the embedded default, when no SMTP is set. */
class OutboxMailer implements Mailer {

  private final Path folder;
  private final Clock clock;
  private final Session session = Session.getInstance(new Properties());

  OutboxMailer(Path folder, Clock clock) {
    this.folder = folder;
    this.clock = clock;
  }

  @Override
  public void send(OutgoingMail mail) throws MailFailure {
    try {
      OwnerOnly.createFolder(folder);
      MimeMessage message = MimeMessages.build(session, mail, clock.instant());
      String name = clock.millis() + "-" + mail.messageId().replaceAll("[^A-Za-z0-9.-]", "");
      Path file = folder.resolve(name + ".eml");
      Path partial = OwnerOnly.createPartFor(file);
      try (OutputStream out = Files.newOutputStream(partial)) {
        message.writeTo(out);
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (MessagingException e) {
      throw new MailFailure("cannot build message: " + e.getMessage(), true, e);
    } catch (IOException e) {
      throw new MailFailure("cannot write to outbox " + folder + ": " + e.getMessage(), false, e);
    }
  }

  @Override
  public String describe() {
    return "outbox folder " + folder.toAbsolutePath().normalize();
  }
}
