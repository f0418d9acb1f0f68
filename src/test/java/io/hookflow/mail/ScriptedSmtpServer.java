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

/**
 * A small SMTP server whose replies a test chooses: it refuses recipients, offers XOAUTH2 and
 * counts connections, which GreenMail cannot be told to do.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final List<String> auths = new CopyOnWriteArrayList<>();
  private volatile Function<String, String> rcptReply = rcpt -> "250 2.1.5 OK";
  private volatile String afterMessage;
  private volatile boolean stallOnData;
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
    try (client;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream()) {
      reply(out, "220 scripted.test ESMTP");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String command = line.toUpperCase(Locale.ROOT);
        if (command.startsWith("EHLO") || command.startsWith("HELO")) {
          reply(out, "250-scripted.test\r\n250-AUTH XOAUTH2 PLAIN\r\n250 8BITMIME");
        } else if (command.startsWith("AUTH ")) {
          auths.add(line.substring(5));
          reply(out, "235 2.7.0 Accepted");
        } else if (command.startsWith("MAIL FROM")) {
          reply(out, "250 2.1.0 OK");
        } else if (command.startsWith("RCPT TO")) {
          reply(out, rcptReply.apply(line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'))));
        } else if (command.equals("DATA")) {
          reply(out, "354 go ahead");
          if (stallOnData) {
            awaitClose();
            return;
          }
          StringBuilder data = new StringBuilder();
          for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
            data.append(l).append("\r\n");
          }
          messages.add(data.toString());
          reply(out, "250 2.0.0 queued");
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
    } catch (IOException e) {
      // the client went away
    }
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
