package io.hookflow.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Sends over SMTP with the server Spring's {@code spring.mail.*} describes, keeping a few
 * connections open and reusing them instead of one connection per message.
 */
class SmtpMailer implements Mailer, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);
  private static final long TRUSTED_NANOS = Duration.ofSeconds(2).toNanos();
  private static final int SERVICE_CLOSING = 421;

  private final JavaMailSenderImpl smtp;
  private final OAuth2Tokens tokens;
  private final Clock clock;
  private final long idleNanos;
  private final Semaphore permits;
  private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>();

  private record Connection(Transport transport, long lastUsed) {}

  SmtpMailer(
      JavaMailSenderImpl smtp, OAuth2Tokens tokens, int connections, Duration idle, Clock clock) {
    this.smtp = smtp;
    this.tokens = tokens;
    this.clock = clock;
    this.idleNanos = idle.toNanos();
    this.permits = new Semaphore(Math.max(1, connections));
  }

  @Override
  public void send(OutgoingMail mail) throws MailFailure {
    MimeMessage message;
    try {
      message = MimeMessages.build(smtp.getSession(), mail, clock.instant());
    } catch (MessagingException e) {
      throw new MailFailure("cannot build message: " + e.getMessage(), true, e);
    }
    permits.acquireUninterruptibly();
    try {
      Connection reused = reusable();
      if (reused != null) {
        try {
          deliver(reused.transport(), message);
          return;
        } catch (MessagingException e) {
          close(reused.transport());
          int code = replyCode(e);
          if (code > 0 && code != SERVICE_CLOSING) {
            throw classify(e);
          }
          // The server may have closed the connection: try once more on a fresh one.
        }
      }
      Transport fresh = connect();
      try {
        deliver(fresh, message);
      } catch (MessagingException e) {
        close(fresh);
        throw classify(e);
      }
    } finally {
      permits.release();
    }
  }

  private void deliver(Transport transport, MimeMessage message) throws MessagingException {
    transport.sendMessage(message, message.getAllRecipients());
    idle.offerFirst(new Connection(transport, System.nanoTime()));
  }

  /**
   * The most recently used open connection. One that sent a moment ago is taken as it is; one that
   * waited longer is first asked with a NOOP (which is what {@code isConnected()} does) whether the
   * server still holds it: in a burst that saves a round trip per message.
   */
  private Connection reusable() {
    for (Connection connection = idle.pollFirst();
        connection != null;
        connection = idle.pollFirst()) {
      long waited = System.nanoTime() - connection.lastUsed();
      if (waited < idleNanos && (waited < TRUSTED_NANOS || connection.transport().isConnected())) {
        return connection;
      }
      close(connection.transport());
    }
    return null;
  }

  private Transport connect() throws MailFailure {
    try {
      Transport transport = smtp.getSession().getTransport(smtp.getProtocol());
      String user =
          smtp.getUsername() == null || smtp.getUsername().isEmpty() ? null : smtp.getUsername();
      String password = tokens != null ? tokens.accessToken() : smtp.getPassword();
      transport.connect(smtp.getHost(), smtp.getPort(), user, password);
      return transport;
    } catch (AuthenticationFailedException e) {
      if (tokens != null) {
        tokens.invalidate();
      }
      throw new MailFailure("SMTP authentication failed: " + e.getMessage(), false, e);
    } catch (MessagingException e) {
      throw new MailFailure("cannot connect to " + describe() + ": " + rootMessage(e), false, e);
    }
  }

  /** A 5xx reply is permanent (an unknown mailbox); anything else may pass later. */
  static MailFailure classify(MessagingException e) {
    int code = replyCode(e);
    boolean permanent = code >= 500 && !(e instanceof AuthenticationFailedException);
    String reply = code > 0 ? "SMTP " + code + ": " : "";
    return new MailFailure(reply + rootMessage(e), permanent, e);
  }

  /** The SMTP reply code the server gave, the highest among refused recipients; 0 if none. */
  static int replyCode(MessagingException e) {
    int code = 0;
    for (Exception next = e; next instanceof MessagingException m; next = m.getNextException()) {
      if (m instanceof SMTPAddressFailedException failed) {
        code = Math.max(code, failed.getReturnCode());
      } else if (m instanceof SMTPSendFailedException failed) {
        code = Math.max(code, failed.getReturnCode());
      }
    }
    return code;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getMessage() + ")";
  }

  private static void close(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException e) {
      log.debug("closing an SMTP connection failed", e);
    }
  }

  @Override
  public String describe() {
    return smtp.getProtocol() + "://" + smtp.getHost() + ":" + smtp.getPort();
  }

  @Override
  public void destroy() {
    for (Connection connection = idle.pollFirst();
        connection != null;
        connection = idle.pollFirst()) {
      close(connection.transport());
    }
  }
}
