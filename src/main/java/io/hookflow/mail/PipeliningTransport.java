package io.hookflow.mail;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport with command pipelining (RFC 2920) for servers that offer it: the
 * {@code MAIL FROM}, every {@code RCPT TO} and {@code DATA} of a message go to the server in one
 * write, and their replies are read together, so a message takes two round trips (the commands,
 * then the message) instead of three plus one per recipient. Most of what sending a message costs
 * on either side is those round trips: each is a write, a read, and a thread put to sleep and
 * woken.
 *
 * <p>It works through the extension points Angus documents for subclasses: when a command whose
 * reply may wait is sent ({@link #sendCommand}), the connection's socket holds it back, and the
 * reply the superclass then asks for ({@link #readServerResponse}) is a provisional 250. The next
 * command (DATA) lets everything go; reading its reply first reads the replies held back, in order.
 * If the server refused the sender or any recipient, the message is not sent: the failure is thrown
 * as Angus would have thrown it ({@link SMTPSendFailedException} for the sender, {@link
 * SendFailedException} with an {@link SMTPAddressFailedException} per refused recipient), after a
 * RSET as Angus does; if the server nevertheless accepted DATA, the connection is cut before the
 * message instead, which aborts the transaction (RFC 5321, 4.1.1.4) rather than delivering an empty
 * message to the recipients it took.
 *
 * <p>A message sent with {@link #sendMessage(Message, Address[], Consumer)} takes one round trip
 * instead of two: the reply to its end (the lone dot) is not waited for, but read with the next
 * command's reply on the connection (the next message's, in the same read as its commands'), or
 * when asked ({@link #readAwaitedReply}), and told then. RFC 2920 allows the end of a message's
 * content to be followed by the next commands without waiting (3.1: "The actual transfer of message
 * content is explicitly allowed to be the first 'command' in a group").
 *
 * <p>Without a socket from {@link CorkableSockets}, or with a server that does not offer
 * PIPELINING, it is Angus' transport unchanged, except that it tells whether a message went out to
 * its end ({@link #messageEnded}).
 */
public class PipeliningTransport extends SMTPTransport {

  private static final int OK = 250;

  /** What a held command is taken to have got until its reply is read: what Angus expects. */
  private static final int PROVISIONAL = OK;

  private static final int START_MAIL_INPUT = 354;

  private CorkableSockets.CorkableSocket socket;
  private boolean pipelining;
  private final List<String> held = new ArrayList<>();
  private boolean replyHeld;
  private boolean messageEnded;

  /** Told the reply to the end of the message being sent, if that reply may be read later. */
  private Consumer<MessagingException> endToldLater;

  /** Whether the reply to the end just sent is to be read later. */
  private boolean endReplyHeld;

  /** Told the reply to the end of the last message sent, once it is read; null if read already. */
  private Consumer<MessagingException> awaited;

  /** Made by Jakarta Mail for the protocol the session names: {@code smtp} or {@code smtps}. */
  public PipeliningTransport(Session session, URLName url) {
    super(session, url, protocol(url), "smtps".equals(protocol(url)));
  }

  private static String protocol(URLName url) {
    return url != null && url.getProtocol() != null ? url.getProtocol() : "smtp";
  }

  @Override
  protected synchronized boolean protocolConnect(
      String host, int port, String user, String password) throws MessagingException {
    CorkableSockets.takeCreated();
    try {
      return super.protocolConnect(host, port, user, password);
    } finally {
      socket = CorkableSockets.takeCreated();
    }
  }

  /**
   * Sends a message, and if the connection pipelines, leaves the reply to its end to be read later:
   * {@code told} then gets null if the server took the message, or why not (a refusal, with its
   * reply code; a failure to read the reply, without). Returns whether it was left so; if not, the
   * message was sent as by {@link #sendMessage(Message, Address[])}, {@code told} is never called,
   * and failures are thrown as there.
   *
   * <p>{@code told} runs on whichever thread reads the reply, holding this connection's lock.
   */
  public synchronized boolean sendMessage(
      Message message, Address[] addresses, Consumer<MessagingException> told)
      throws MessagingException {
    endToldLater = told;
    try {
      sendMessage(message, addresses);
      return awaited == told;
    } finally {
      endToldLater = null;
    }
  }

  /** Whether the reply to the end of the last message sent is yet to be read. */
  public synchronized boolean awaitsReply() {
    return awaited != null;
  }

  /**
   * Reads the reply to the end of the last message sent, if not read yet, and tells it. A failure
   * to read it is told, and thrown: the connection is then in doubt.
   */
  public synchronized void readAwaitedReply() throws MessagingException {
    if (awaited != null) {
      readAwaited();
    }
  }

  @Override
  public synchronized void close() throws MessagingException {
    try {
      super.close(); // its QUIT's reply is read after the one awaited, which is told
    } finally {
      if (awaited != null) {
        Consumer<MessagingException> told = awaited;
        awaited = null;
        told.accept(new MessagingException("connection closed before the reply to the message"));
      }
    }
  }

  @Override
  public synchronized void sendMessage(Message message, Address[] addresses)
      throws MessagingException {
    pipelining = socket != null && supportsExtension("PIPELINING");
    messageEnded = false;
    try {
      super.sendMessage(message, addresses);
    } finally {
      endReplyHeld = false;
      if (!held.isEmpty()) {
        // Failed between holding commands back and reading their replies: they must never go
        // out ahead of whatever this connection would send next.
        abort();
      }
      pipelining = false;
      held.clear();
      replyHeld = false;
      if (socket != null) {
        socket.uncork();
      }
    }
  }

  /**
   * Whether the last message sent went out to its end (the lone dot, or the last BDAT chunk): from
   * then on the server may have taken it, reply or not, so a failure then is no proof that it was
   * not delivered.
   */
  boolean messageEnded() {
    return messageEnded;
  }

  @Override
  protected void finishData() throws IOException, MessagingException {
    messageEnded = true;
    endReplyHeld = pipelining && endToldLater != null;
    super.finishData();
  }

  @Override
  protected void finishBdat() throws IOException, MessagingException {
    messageEnded = true;
    super.finishBdat();
  }

  @Override
  protected void sendCommand(String command) throws MessagingException {
    if (pipelining && (command.startsWith("MAIL FROM:") || command.startsWith("RCPT TO:"))) {
      try {
        socket.cork();
      } catch (IOException e) {
        throw new MessagingException("Can't send command to SMTP host", e);
      }
      super.sendCommand(command);
      held.add(command);
      replyHeld = true;
      return;
    }
    if (socket != null) {
      socket.uncork();
    }
    super.sendCommand(command);
  }

  @Override
  protected int readServerResponse() throws MessagingException {
    if (endReplyHeld) {
      // The lone dot has gone out; its reply is read with the next command's.
      endReplyHeld = false;
      awaited = endToldLater;
      return PROVISIONAL;
    }
    if (replyHeld) {
      // The reply to the command just sent is read with the next command's.
      replyHeld = false;
      return PROVISIONAL;
    }
    if (awaited != null) {
      readAwaited(); // sent before anything whose reply is read now
    }
    if (held.isEmpty()) {
      return super.readServerResponse();
    }
    MessagingException refused = readHeldReplies();
    int reply = super.readServerResponse();
    if (refused == null) {
      return reply;
    }
    if (reply == START_MAIL_INPUT) {
      abort();
    } else {
      reset();
    }
    throw refused;
  }

  /** Reads the reply to the end of the last message sent, and tells it. */
  private void readAwaited() throws MessagingException {
    Consumer<MessagingException> told = awaited;
    awaited = null;
    int reply;
    try {
      reply = super.readServerResponse();
    } catch (MessagingException e) {
      told.accept(e);
      throw e;
    }
    if (reply == OK) {
      told.accept(null);
    } else if (reply < 0) {
      told.accept(new MessagingException("no reply to the message: " + getLastServerResponse()));
    } else {
      told.accept(
          new SMTPSendFailedException(".", reply, getLastServerResponse(), null, null, null, null));
    }
  }

  /** Reads the replies held back, in order; the failure they amount to, or null if none. */
  private MessagingException readHeldReplies() throws MessagingException {
    List<String> commands = List.copyOf(held);
    held.clear();
    MessagingException sender = null;
    MessagingException recipients = null;
    List<Address> invalid = new ArrayList<>();
    for (String command : commands) {
      int reply = super.readServerResponse();
      String text = getLastServerResponse();
      if (command.startsWith("MAIL FROM:")) {
        // As Angus has it: the sender needs a 250, a recipient any 2xx.
        if (reply != OK) {
          sender = new SMTPSendFailedException(command, reply, text, null, null, null, null);
        }
        continue;
      }
      if (reply / 100 == 2) {
        continue;
      }
      InternetAddress address = recipientOf(command);
      invalid.add(address);
      SMTPAddressFailedException failed =
          new SMTPAddressFailedException(address, command, reply, text);
      if (recipients == null) {
        recipients = failed;
      } else {
        recipients.setNextException(failed);
      }
    }
    if (sender != null) {
      return sender;
    }
    if (recipients != null) {
      return new SendFailedException(
          "Invalid Addresses", recipients, null, null, invalid.toArray(new Address[0]));
    }
    return null;
  }

  /** Ends the transaction the server may still hold open, as Angus does after a refusal. */
  private void reset() {
    try {
      issueCommand("RSET", -1);
    } catch (MessagingException e) {
      // The connection is in doubt; whoever sent the message closes it after a failure.
    }
  }

  /** Cuts the connection (in the middle of DATA, the server drops the message). */
  private void abort() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is all that was wanted.
    }
  }

  private static InternetAddress recipientOf(String command) {
    int open = command.indexOf('<');
    int close = command.indexOf('>', open + 1);
    String address = open >= 0 && close > open ? command.substring(open + 1, close) : command;
    try {
      return new InternetAddress(address, false);
    } catch (AddressException e) {
      InternetAddress unparsed = new InternetAddress();
      unparsed.setAddress(address);
      return unparsed;
    }
  }
}
