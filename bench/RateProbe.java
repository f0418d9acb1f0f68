import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends single-event deliveries at a fixed rate and prints ack latency percentiles, measured from
 * the moment each request was due (so a stall is not hidden by requests that were never sent).
 *
 * <p>java bench/RateProbe.java URL SECRET RATE SECONDS [WARMUP_SECONDS]
 *
 * <p>Like a real sender (and like wrk's fixed connections), it keeps at most 64 requests in flight,
 * so at most 64 connections: a request whose turn comes while 64 are unanswered waits for one of
 * them, and that wait counts in its latency.
 *
 * <p>The first WARMUP_SECONDS (default 3) are sent at the same rate but not counted: they warm up
 * this client's own JVM, whose first requests are slow to send and would be charged to the server.
 */
public class RateProbe {

  private static final int MAX_IN_FLIGHT = 64;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String secret = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    int skipped = rate * warmup;
    int total = rate * seconds;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4))
            .build();
    long[] latencies = new long[total];
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(total);
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    String run = UUID.randomUUID().toString().substring(0, 8);
    long start = System.nanoTime() + 200_000_000L;
    for (int i = -skipped; i < total; i++) {
      long due = start + (long) (i + skipped) * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      inFlight.acquire();
      int index = i;
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Authorization", secret)
              .POST(HttpRequest.BodyPublishers.ofString(delivery(run + "-" + i)))
              .build();
      if (index < 0) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
            .whenComplete((response, error) -> inFlight.release());
        continue;
      }
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                inFlight.release();
                latencies[index] = System.nanoTime() - due;
                if (error != null || response.statusCode() != 200) {
                  failures.incrementAndGet();
                }
                done.countDown();
              });
    }
    done.await(60, TimeUnit.SECONDS);
    Arrays.sort(latencies);
    System.out.printf(
        "rate=%d/s requests=%d failures=%d p50=%.2fms p99=%.2fms max=%.2fms%n",
        rate,
        total,
        failures.get(),
        latencies[total / 2] / 1e6,
        latencies[(int) (total * 0.99)] / 1e6,
        latencies[total - 1] / 1e6);
    System.exit(0);
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
