package io.hookflow.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Sends over SMTP with the server Spring's {@code spring.mail.*} describes, keeping a few
 * connections open and reusing them instead of one connection per message.
 *
 * <p>Jakarta Mail enforces a write timeout ({@code mail.smtp.writetimeout}) by scheduling a task on
 * a timer thread of each connection for every write and cancelling it after: a fifth of the CPU a
 * message cost, in thread wake-ups. A write can only block once the message outgrows what the
 * connection's socket and the server's receive window hold, so a message of up to {@link
 * #UNGUARDED_BYTES} goes over connections without that timer; larger ones over connections with it.
 * Replies are always under {@code mail.smtp.timeout}.
 *
 * <p>Connections pipeline ({@link PipeliningTransport}) where the server offers it, unless turned
 * off ({@code hookflow.mail.pipelining}) or the session's settings rule it out ({@link
 * #pipelinable}).
 */
class SmtpMailer implements Mailer, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);
  private static final long TRUSTED_NANOS = Duration.ofSeconds(2).toNanos();
  private static final int SERVICE_CLOSING = 421;
  private static final int AUTHENTICATION_REQUIRED = 530;

  /** Linux's default send buffer of a TCP socket ({@code tcp_wmem}), before any window opens. */
  static final int UNGUARDED_BYTES = 16 * 1024;

  private final JavaMailSenderImpl smtp;
  private final OAuth2Tokens tokens;
  private final Clock clock;
  private final long idleNanos;
  private final Semaphore permits;
  private final int limit;
  private final AtomicInteger open = new AtomicInteger();

  /** Messages sent whose end's reply is yet to be read. */
  private final AtomicInteger awaiting = new AtomicInteger();

  private final Pool unguarded;
  private final Pool guarded;

  /** An open connection; every session's transport is a {@link PipeliningTransport}. */
  private record Connection(PipeliningTransport transport, long lastUsed) {}

  /** Connections made from one session, and those of them open and waiting for a message. */
  private record Pool(Session session, BlockingDeque<Connection> idle) {
    Pool(Session session) {
      this(session, new LinkedBlockingDeque<>());
    }
  }

  SmtpMailer(
      JavaMailSenderImpl smtp,
      OAuth2Tokens tokens,
      int connections,
      Duration idle,
      boolean pipelining,
      Clock clock) {
    this.smtp = smtp;
    this.tokens = tokens;
    this.clock = clock;
    this.idleNanos = idle.toNanos();
    this.limit = Math.max(1, connections);
    this.permits = new Semaphore(limit);
    String prefix = "mail." + smtp.getProtocol() + ".";
    Properties properties = smtp.getSession().getProperties();
    boolean pipelined = pipelining && pipelinable(properties, prefix);
    this.guarded = new Pool(session(properties, pipelined));
    if (properties.getProperty(prefix + "writetimeout") == null) {
      this.unguarded = guarded;
    } else {
      Properties without = new Properties();
      without.putAll(properties);
      without.remove(prefix + "writetimeout");
      this.unguarded = new Pool(session(without, pipelined));
    }
  }

  /**
   * Whether the connection settings leave room for pipelining: not with a socket factory or a SOCKS
   * proxy of the user's (the sockets must be {@link CorkableSockets}'), nor with settings whose
   * meaning needs each recipient's reply before the message is sent (partial sending, success
   * reports, BDAT chunks).
   */
  static boolean pipelinable(Properties properties, String prefix) {
    boolean ownSockets =
        Stream.of("socketFactory", "socketFactory.class", "socks.host")
                .anyMatch(name -> properties.get(prefix + name) != null)
            || on(properties, prefix + "usesocketchannels");
    boolean repliesFirst =
        on(properties, prefix + "sendpartial") || on(properties, prefix + "reportsuccess");
    Object chunks = properties.get(prefix + "chunksize");
    boolean chunked = chunks != null && !"0".equals(String.valueOf(chunks).trim());
    return !ownSockets && !repliesFirst && !chunked;
  }

  private static boolean on(Properties properties, String name) {
    return "true".equals(String.valueOf(properties.get(name)));
  }

  /**
   * A session with these properties; its transports are {@link PipeliningTransport}s, which
   * pipeline if {@code pipelined}.
   */
  private Session session(Properties properties, boolean pipelined) {
    Properties own = new Properties();
    own.putAll(properties);
    if (pipelined) {
      own.put("mail." + smtp.getProtocol() + ".socketFactory", new CorkableSockets());
    }
    Session session = Session.getInstance(own);
    // Pipelining or not, its transport tells whether a message that failed had gone out to its end.
    try {
      session.setProvider(
          new Provider(
              Provider.Type.TRANSPORT,
              smtp.getProtocol(),
              PipeliningTransport.class.getName(),
              "hookflow",
              null));
    } catch (NoSuchProviderException e) {
      throw new IllegalStateException(e);
    }
    return session;
  }

  @Override
  public void send(OutgoingMail mail) throws MailFailure {
    send(mail, null);
  }

  /**
   * Sends the message; where the connection pipelines, its end's reply is read with the next
   * message's commands on that connection, or by {@link #readAwaitedReplies}, rather than waited
   * for: the message costs one round trip instead of two.
   */
  @Override
  public CompletableFuture<Void> sendConfirmedLater(OutgoingMail mail) {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    try {
      send(mail, accepted);
    } catch (MailFailure | RuntimeException e) {
      accepted.completeExceptionally(e);
    }
    return accepted;
  }

  @Override
  public void readAwaitedReplies(Duration olderThan) {
    long before = System.nanoTime() - olderThan.toNanos();
    for (Pool pool : pools()) {
      while (awaiting.get() > 0) {
        Connection connection = takeAwaiting(pool, before);
        if (connection == null) {
          break;
        }
        PipeliningTransport transport = connection.transport();
        try {
          transport.readAwaitedReply();
          pool.idle().offerFirst(connection);
        } catch (MessagingException e) {
          close(transport); // told its message's sender; the connection is in doubt
        } finally {
          permits.release();
        }
      }
    }
  }

  /**
   * An idle connection, back in the pool since {@code before} or earlier, whose last message's
   * reply is yet to be read, taken out of the pool with a permit (it is in use while read); null if
   * none.
   */
  private Connection takeAwaiting(Pool pool, long before) {
    for (Connection connection : pool.idle()) {
      if (connection.lastUsed() - before <= 0 && connection.transport().awaitsReply()) {
        if (!permits.tryAcquire()) {
          return null; // as many senders as allowed are at work, and they read replies as they go
        }
        if (pool.idle().remove(connection)) {
          return connection;
        }
        permits.release();
      }
    }
    return null;
  }

  private List<Pool> pools() {
    return unguarded == guarded ? List.of(unguarded) : List.of(unguarded, guarded);
  }

  /** Sends; with {@code accepted}, its end's reply may be left to be read later and told there. */
  private void send(OutgoingMail mail, CompletableFuture<Void> accepted) throws MailFailure {
    MimeMessage message;
    try {
      message = MimeMessages.build(smtp.getSession(), mail, clock.instant());
    } catch (MessagingException e) {
      throw new MailFailure("cannot build message: " + e.getMessage(), true, e);
    }
    Pool pool =
        unguarded == guarded || MimeMessages.size(message) <= UNGUARDED_BYTES ? unguarded : guarded;
    permits.acquireUninterruptibly();
    try {
      Connection reused = reusable(pool);
      if (reused != null) {
        try {
          deliver(pool, reused.transport(), message, accepted);
          return;
        } catch (MessagingException e) {
          close(reused.transport());
          if (unconfirmed(reused.transport(), e)) {
            // Sending it again at once on a fresh connection would deliver it twice if it was.
            throw unconfirmed(e);
          }
          int code = replyCode(e);
          if (code > 0 && code != SERVICE_CLOSING) {
            throw classify(e);
          }
          // The server may have closed the connection: try once more on a fresh one.
        }
      }
      closeOneIdleOfTheOther(pool);
      PipeliningTransport fresh = connect(pool);
      try {
        deliver(pool, fresh, message, accepted);
      } catch (MessagingException e) {
        close(fresh);
        throw unconfirmed(fresh, e) ? unconfirmed(e) : classify(e);
      }
    } finally {
      permits.release();
    }
  }

  /**
   * Before a connection is opened for one pool while as many as allowed are open, closes one the
   * other pool keeps idle: at most {@code connections} are open across both, for servers that limit
   * sessions.
   */
  private void closeOneIdleOfTheOther(Pool pool) {
    Pool other = pool == unguarded ? guarded : unguarded;
    if (other != pool && open.get() >= limit) {
      Connection spare = other.idle().pollLast();
      if (spare != null) {
        close(spare.transport());
      }
    }
  }

  private void deliver(
      Pool pool,
      PipeliningTransport transport,
      MimeMessage message,
      CompletableFuture<Void> accepted)
      throws MessagingException {
    if (accepted == null) {
      transport.sendMessage(message, message.getAllRecipients());
    } else {
      awaiting.incrementAndGet();
      boolean later;
      try {
        later =
            transport.sendMessage(
                message, message.getAllRecipients(), refused -> told(accepted, refused));
      } catch (MessagingException | RuntimeException e) {
        awaiting.decrementAndGet();
        throw e;
      }
      if (!later) {
        awaiting.decrementAndGet();
        accepted.complete(null);
      }
    }
    pool.idle().offerFirst(new Connection(transport, System.nanoTime()));
  }

  /** The reply to a message's end, read after it was sent: what its sender is told. */
  private void told(CompletableFuture<Void> accepted, MessagingException refused) {
    awaiting.decrementAndGet();
    if (refused == null) {
      accepted.complete(null);
    } else {
      // Without a reply code, the message went out to its end and the connection failed after.
      accepted.completeExceptionally(
          replyCode(refused) > 0 ? classify(refused) : unconfirmed(refused));
    }
  }

  /**
   * The most recently used open connection. One that sent a moment ago is taken as it is; one that
   * waited longer is first asked with a NOOP (which is what {@code isConnected()} does) whether the
   * server still holds it: in a burst that saves a round trip per message.
   */
  private Connection reusable(Pool pool) {
    for (Connection connection = pool.idle().pollFirst();
        connection != null;
        connection = pool.idle().pollFirst()) {
      long waited = System.nanoTime() - connection.lastUsed();
      if (waited < idleNanos && (waited < TRUSTED_NANOS || connection.transport().isConnected())) {
        return connection;
      }
      close(connection.transport());
    }
    return null;
  }

  private PipeliningTransport connect(Pool pool) throws MailFailure {
    try {
      PipeliningTransport transport =
          (PipeliningTransport) pool.session().getTransport(smtp.getProtocol());
      String user =
          smtp.getUsername() == null || smtp.getUsername().isEmpty() ? null : smtp.getUsername();
      String password = tokens != null ? tokens.accessToken() : smtp.getPassword();
      transport.connect(smtp.getHost(), smtp.getPort(), user, password);
      open.incrementAndGet();
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

  /**
   * Whether a message failed after it went out to its end, with no reply to it (the connection cut,
   * or no reply in time): the server may have taken it.
   */
  private static boolean unconfirmed(PipeliningTransport transport, MessagingException e) {
    return replyCode(e) == 0 && transport.messageEnded();
  }

  /**
   * The failure of a message the server may have taken: tried again later (a lost message is worse
   * than one received twice, which its Message-ID, the same on every attempt, tells), and said.
   */
  static MailFailure unconfirmed(MessagingException e) {
    return new MailFailure(
        "no reply after the message was sent ("
            + Headers.oneLine(rootMessage(e))
            + "): the server may have taken it; if it did, the next attempt delivers it again,"
            + " with the same Message-ID",
        false,
        e);
  }

  /**
   * A 5xx reply is permanent (an unknown mailbox); anything else may pass later, and so does 530,
   * "authentication required" (or TLS first): like a refused login, it refuses every message alike
   * until the SMTP settings are fixed, and says nothing about this one. So does a refused sender (a
   * 5xx to MAIL FROM: {@code hookflow.mail.from} not allowed for the login, or this machine not
   * allowed to send): all the server knows of the message then is whom it comes from.
   */
  static MailFailure classify(MessagingException e) {
    int code = replyCode(e);
    boolean permanent =
        code >= 500
            && code != AUTHENTICATION_REQUIRED
            && !(e instanceof AuthenticationFailedException)
            && !senderRefused(e);
    String message = Headers.oneLine(rootMessage(e));
    if (code > 0 && message.startsWith(code + " ")) {
      message = message.substring(4); // the server's reply, whose code is said already
    }
    return new MailFailure((code > 0 ? "SMTP " + code + ": " : "") + message, permanent, e);
  }

  /** Whether the server refused the message's sender (its reply to MAIL FROM). */
  private static boolean senderRefused(MessagingException e) {
    for (Exception next = e; next instanceof MessagingException m; next = m.getNextException()) {
      if (m instanceof SMTPSenderFailedException
          || (m instanceof SMTPSendFailedException failed
              && failed.getCommand() != null
              && failed.getCommand().startsWith("MAIL FROM:"))) {
        return true; // Angus' refusal, or PipeliningTransport's (the reply held back)
      }
    }
    return false;
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
    // Server replies end with a line break.
    String message = String.valueOf(e.getMessage()).strip();
    return root == e ? message : message + " (" + String.valueOf(root.getMessage()).strip() + ")";
  }

  private void close(Transport transport) {
    open.decrementAndGet();
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
    for (Pool pool : pools()) {
      for (Connection connection = pool.idle().pollFirst();
          connection != null;
          connection = pool.idle().pollFirst()) {
        close(connection.transport());
      }
    }
  }
}
