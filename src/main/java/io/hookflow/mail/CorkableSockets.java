package io.hookflow.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import javax.net.SocketFactory;

/**
 * Makes the plain sockets of SMTP connections, each able to hold back what is written to it until
 * told to let it go ({@link CorkableSocket#cork()}): the commands of a pipelined transaction then
 * leave in one write, as one packet, instead of one each.
 *
 * <p>Jakarta Mail asks the factory of its {@code mail.smtp.socketFactory} property for each
 * connection's socket, on the thread that connects; {@link #takeCreated()} hands the socket to the
 * transport that thread is connecting. TLS (implicit or by STARTTLS) is layered over the socket, so
 * holding back works below it as well.
 */
final class CorkableSockets extends SocketFactory {

  private static final ThreadLocal<CorkableSocket> CREATED = new ThreadLocal<>();

  /** The socket last made on this thread, if any; forgotten once taken. */
  static CorkableSocket takeCreated() {
    CorkableSocket socket = CREATED.get();
    CREATED.remove();
    return socket;
  }

  @Override
  public Socket createSocket() throws IOException {
    CorkableSocket socket = new CorkableSocket();
    // What goes out together is written together, so Nagle's algorithm has nothing to gather; it
    // would hold the next message's commands until the server acknowledged the end of the last
    // one, which it does with its reply: a round trip a message spent waiting.
    socket.setTcpNoDelay(true);
    CREATED.set(socket);
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(local, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress... local)
      throws IOException {
    Socket socket = createSocket();
    try {
      if (local.length > 0) {
        socket.bind(local[0]);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A socket whose output is held back while it is corked. */
  static final class CorkableSocket extends Socket {

    private HeldOutput output;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (output == null) {
        output = new HeldOutput(super.getOutputStream());
      }
      return output;
    }

    /** Holds back what is written from now on. */
    synchronized void cork() throws IOException {
      ((HeldOutput) getOutputStream()).corked = true;
    }

    /** Lets what was held go with the next write or flush, and stops holding back. */
    synchronized void uncork() {
      if (output != null) {
        output.corked = false;
      }
    }
  }

  /**
   * Passes writes straight through, except while corked: then they wait in a buffer, and leave
   * together with the first write or flush after. (So it never writes to the socket on its own, and
   * a write timer above it, {@code mail.smtp.writetimeout}, still guards every write.)
   */
  private static final class HeldOutput extends OutputStream {

    /** Held bytes beyond which they are written anyway: a pipelined transaction is far smaller. */
    private static final int MOST_HELD = 64 * 1024;

    private final OutputStream socket;
    private byte[] held = new byte[512];
    private int length;
    private volatile boolean corked;

    HeldOutput(OutputStream socket) {
      this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
      if (length == 0 && !corked) {
        socket.write(bytes, offset, count);
        return;
      }
      hold(bytes, offset, count);
      if (!corked || length > MOST_HELD) {
        release();
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      if (corked) {
        return;
      }
      release();
      socket.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }

    private void hold(byte[] bytes, int offset, int count) {
      if (length + count > held.length) {
        held = Arrays.copyOf(held, Math.max(held.length * 2, length + count));
      }
      System.arraycopy(bytes, offset, held, length, count);
      length += count;
    }

    private void release() throws IOException {
      if (length > 0) {
        int count = length;
        length = 0;
        socket.write(held, 0, count);
      }
    }
  }
}
