package io.hookflow.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server whose replies a test chooses: it refuses senders and recipients, offers
 * XOAUTH2 and PIPELINING, and counts connections, which GreenMail cannot be told to do.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> auths = new CopyOnWriteArrayList<>();
  private volatile Function<String, String> rcptReply = rcpt -> "250 2.1.5 OK";
  private volatile String mailReply = "250 2.1.0 OK";
  private volatile boolean pipelining;
  private volatile SSLContext tls;
  private volatile SSLContext tlsFromTheStart;
  private final List<Boolean> together = new CopyOnWriteArrayList<>();
  private final List<String> aborted = new CopyOnWriteArrayList<>();
  private volatile String afterMessage;
  private volatile boolean stallOnData;
  private volatile String noReplyToMessageEnd;
  private volatile Function<String, String> endReply = message -> "250 2.0.0 queued";
  private final CountDownLatch closed = new CountDownLatch(1);

  ScriptedSmtpServer() {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "scripted-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** The reply to each {@code RCPT TO:<address>}, given the address. */
  void replyToRecipients(Function<String, String> reply) {
    this.rcptReply = reply;
  }

  /** The reply to every {@code MAIL FROM}. */
  void replyToSender(String reply) {
    this.mailReply = reply;
  }

  /**
   * Offers PIPELINING, and holds to it strictly: it answers MAIL and RCPT only once DATA has come,
   * all replies at once, so a client that waits for each reply before its next command gets none.
   * DATA is refused when the sender or every recipient was.
   */
  void offerPipelining() {
    this.pipelining = true;
  }

  /** Speaks TLS from the first byte of each connection (SMTPS), with {@code context}. */
  void speakTlsFromTheStart(SSLContext context) {
    this.tlsFromTheStart = context;
  }

  /** Offers STARTTLS, with the key and certificate of {@code context}. */
  void offerStartTls(SSLContext context) {
    this.tls = context;
  }

  /**
   * For each MAIL FROM of a pipelining client, whether the commands up to DATA had all arrived with
   * it (were already there to read when it was read).
   */
  List<Boolean> commandsArrivedTogether() {
    return together;
  }

  /**
   * What came of each message whose connection was cut after DATA was accepted and before the
   * message ended.
   */
  List<String> aborted() {
    return aborted;
  }

  /**
   * What the server does with a connection after it took a message: with a reply (say {@code 421
   * 4.4.2 idle}) it answers the next command with it and hangs up; with an empty one it just hangs
   * up; with null it keeps serving.
   */
  void afterEachMessage(String reply) {
    this.afterMessage = reply;
  }

  /** After answering DATA, stops reading the connection: the message never gets through. */
  void stallOnData() {
    this.stallOnData = true;
  }

  /**
   * Takes each message whole (it is among {@link #messages}) and then gives no reply to its end:
   * {@code "hang up"} closes the connection, {@code "stall"} reads nothing more until the server is
   * closed; null replies again.
   */
  void noReplyToMessageEnd(String how) {
    this.noReplyToMessageEnd = how;
  }

  /**
   * The reply to the end of each message, given the message (its header and body); null hangs up
   * instead.
   */
  void replyToMessageEnd(Function<String, String> reply) {
    this.endReply = reply;
  }

  int connections() {
    return connections.get();
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }

  List<String> messages() {
    return messages;
  }

  /** The arguments of each AUTH command received, e.g. {@code XOAUTH2 dXNlcj0...}. */
  List<String> auths() {
    return auths;
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        connections.incrementAndGet();
        open.incrementAndGet();
        Thread session =
            new Thread(
                () -> {
                  try {
                    serve(client);
                  } finally {
                    open.decrementAndGet();
                  }
                },
                "scripted-smtp-session");
        session.setDaemon(true);
        session.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      SSLContext secure = tlsFromTheStart;
      converse(secure == null ? client : secured(secure, client), true);
    } catch (IOException e) {
      // the client went away
    }
  }

  /** One conversation over the socket, until QUIT, a hang-up, or STARTTLS (then over TLS). */
  private void converse(Socket client, boolean greet) throws IOException {
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = client.getOutputStream();
    if (greet) {
      reply(out, "220 scripted.test ESMTP");
    }
    StringBuilder held = new StringBuilder();
    boolean senderTaken = false;
    boolean recipientTaken = false;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String command = line.toUpperCase(Locale.ROOT);
      if (command.startsWith("EHLO") || command.startsWith("HELO")) {
        reply(
            out,
            "250-scripted.test\r\n"
                + (pipelining ? "250-PIPELINING\r\n" : "")
                + (tls != null && !(client instanceof SSLSocket) ? "250-STARTTLS\r\n" : "")
                + "250-AUTH XOAUTH2 PLAIN\r\n250 8BITMIME");
      } else if (command.equals("STARTTLS") && tls != null) {
        reply(out, "220 2.0.0 ready");
        SSLSocket secured =
            (SSLSocket)
                tls.getSocketFactory()
                    .createSocket(client, client.getInetAddress().getHostAddress(), 0, true);
        secured.setUseClientMode(false);
        secured.startHandshake();
        converse(secured, false);
        return;
      } else if (command.startsWith("AUTH ")) {
        auths.add(line.substring(5));
        reply(out, "235 2.7.0 Accepted");
      } else if (command.startsWith("MAIL FROM")) {
        String answer = mailReply;
        senderTaken = answer.startsWith("2");
        recipientTaken = false;
        if (pipelining) {
          together.add(in.ready());
          held.append(answer).append("\r\n");
        } else {
          reply(out, answer);
        }
      } else if (command.startsWith("RCPT TO")) {
        String answer =
            senderTaken
                ? rcptReply.apply(line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')))
                : "503 5.5.1 need MAIL first";
        recipientTaken |= answer.startsWith("2");
        if (pipelining) {
          held.append(answer).append("\r\n");
        } else {
          reply(out, answer);
        }
      } else if (command.equals("DATA")) {
        boolean go = !pipelining || (senderTaken && recipientTaken);
        held.append(go ? "354 go ahead" : "554 5.5.1 no valid recipients");
        reply(out, held.toString());
        held.setLength(0);
        if (!go) {
          continue;
        }
        if (stallOnData) {
          awaitClose();
          return;
        }
        StringBuilder data = new StringBuilder();
        String l = in.readLine();
        for (; l != null && !l.equals("."); l = in.readLine()) {
          data.append(l).append("\r\n");
        }
        if (l == null) {
          aborted.add(data.toString());
          return;
        }
        messages.add(data.toString());
        String noReply = noReplyToMessageEnd;
        if ("hang up".equals(noReply)) {
          return;
        }
        if ("stall".equals(noReply)) {
          awaitClose();
          return;
        }
        String ended = endReply.apply(data.toString());
        if (ended == null) {
          return;
        }
        reply(out, ended);
        String after = afterMessage;
        if (after != null) {
          if (!after.isEmpty() && in.readLine() != null) {
            reply(out, after);
          }
          return;
        }
      } else if (command.equals("QUIT")) {
        reply(out, "221 2.0.0 bye");
        return;
      } else {
        reply(out, "250 2.0.0 OK");
      }
    }
  }

  private static SSLSocket secured(SSLContext context, Socket client) throws IOException {
    SSLSocket secured =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(client, client.getInetAddress().getHostAddress(), 0, true);
    secured.setUseClientMode(false);
    secured.startHandshake();
    return secured;
  }

  /** Reads nothing more until the server is closed. */
  private void awaitClose() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    socket.close();
  }
}
