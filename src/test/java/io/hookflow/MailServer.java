package io.hookflow;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * An SMTP server on a port fixed in advance but started only when a test says: until then,
 * hookflow's connections are refused, as by a mail server that is down.
 */
public final class MailServer implements AutoCloseable {

  private final int port;
  private final GreenMail greenMail;

  public MailServer() {
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
  }

  public int port() {
    return port;
  }

  public GreenMail start() {
    greenMail.start();
    return greenMail;
  }

  public GreenMail greenMail() {
    return greenMail;
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
