import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends single-event deliveries at a fixed rate and prints ack latency percentiles, measured from
 * the moment each request was due (so a stall is not hidden by requests that were never sent).
 *
 * <p>java bench/RateProbe.java URL SECRET RATE SECONDS [WARMUP_SECONDS]
 *
 * <p>Like a real sender (and like wrk's fixed connections), it keeps at most 64 requests in flight
 * on at most 64 keep-alive connections: 64 senders take the requests in order, each waits for its
 * request's due time, sends it and reads the answer. A request whose turn comes while all 64 are
 * busy waits for one of them, and that wait counts in its latency.
 *
 * <p>It speaks plain HTTP/1.1 over blocking sockets with requests prepared ahead, so that it takes
 * little of the CPU it shares with the server (Java's HttpClient took 0.6–0.9 of a core at
 * 1,000/s on two cores, which went into the server's latency).
 *
 * <p>The first WARMUP_SECONDS (default 3) are sent at the same rate but not counted: they warm up
 * this client's own JVM, whose first requests are slow to send and would be charged to the server.
 */
public class RateProbe {

  private static final int SENDERS = 64;
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String secret = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    int skipped = rate * warmup;
    int total = rate * seconds;
    String run = UUID.randomUUID().toString().substring(0, 8);
    byte[][] requests = new byte[skipped + total][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = request(url, secret, delivery(run + "-" + i));
    }
    long[] latencies = new long[total];
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(SENDERS);
    long start = System.nanoTime() + 200_000_000L;
    for (int s = 0; s < SENDERS; s++) {
      Thread sender =
          new Thread(
              () -> {
                Connection connection = new Connection(url);
                for (int i = next.getAndIncrement(); i < requests.length; i = next.getAndIncrement()) {
                  long due = start + (long) i * 1_000_000_000L / rate;
                  for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                  }
                  boolean ok = connection.exchange(requests[i]);
                  if (i >= skipped) {
                    latencies[i - skipped] = System.nanoTime() - due;
                    if (!ok || System.nanoTime() - due > TIMEOUT_NANOS) {
                      failures.incrementAndGet();
                    }
                  }
                }
                connection.close();
                done.countDown();
              },
              "sender-" + s);
      sender.setDaemon(true);
      sender.start();
    }
    done.await(seconds + warmup + 60, TimeUnit.SECONDS);
    Arrays.sort(latencies);
    System.out.printf(
        Locale.ROOT,
        "rate=%d/s requests=%d failures=%d p50=%.2fms p99=%.2fms max=%.2fms%n",
        rate,
        total,
        failures.get(),
        latencies[total / 2] / 1e6,
        latencies[(int) (total * 0.99)] / 1e6,
        latencies[total - 1] / 1e6);
    System.exit(0);
  }

  private static byte[] request(URI url, String secret, String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + url.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + url.getHost()
            + ":"
            + url.getPort()
            + "\r\nContent-Type: application/json\r\nAuthorization: "
            + secret
            + "\r\nContent-Length: "
            + content.length
            + "\r\n\r\n";
    byte[] start = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(start, start.length + content.length);
    System.arraycopy(content, 0, request, start.length, content.length);
    return request;
  }

  /** One keep-alive connection, opened again when the server closed it or it failed. */
  private static final class Connection {
    private final URI url;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Connection(URI url) {
      this.url = url;
    }

    /** Sends the request and reads the whole answer; true if it was a 200. */
    boolean exchange(byte[] request) {
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.setSoTimeout((int) TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS));
          socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
          in = new BufferedInputStream(socket.getInputStream(), 8192);
          out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        return readAnswer();
      } catch (IOException e) {
        close();
        return false;
      }
    }

    private boolean readAnswer() throws IOException {
      String status = line();
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean closing = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          closing = true;
        }
      }
      if (chunked) {
        for (long size = Long.parseLong(line().split(";")[0].trim(), 16);
            size > 0;
            size = Long.parseLong(line().split(";")[0].trim(), 16)) {
          skip(size);
          line();
        }
        line();
      } else if (length > 0) {
        skip(length);
      }
      if (closing) {
        close();
      }
      return code == 200;
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    private void skip(long bytes) throws IOException {
      for (long left = bytes; left > 0; ) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }

    void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // already gone
        }
        socket = null;
      }
    }
  }

  private static String delivery(String id) {
    return "{\"eventType\":\"com.okta.event_hook\",\"data\":{\"events\":[{\"uuid\":\"rate-"
        + id
        + "\",\"published\":\"2026-11-02T09:15:02.512Z\",\"eventType\":\"application.user_membership.remove\","
        + "\"actor\":{\"id\":\"00uBenchAdmin0001\",\"type\":\"User\",\"alternateId\":\"admin@bench.test\",\"displayName\":\"Bench Admin\"},"
        + "\"target\":[{\"id\":\"0uaBench\",\"type\":\"AppUser\",\"alternateId\":\"u@bench.test\",\"displayName\":\"User\"},"
        + "{\"id\":\"0oaBenchSalesforce1\",\"type\":\"AppInstance\",\"alternateId\":\"Salesforce.com\",\"displayName\":\"Salesforce.com\"},"
        + "{\"id\":\"00uBench\",\"type\":\"User\",\"alternateId\":\"u@bench.test\",\"displayName\":\"User\"}]}]}}";
  }
}
