package io.hookflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.HookflowProcess;
import io.hookflow.Postgres;
import io.hookflow.TestInstance;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two instances on one PostgreSQL, deliveries spread over both, one killed hard mid-load: every
 * event is mailed, and a message sent twice carries the same Message-ID.
 */
class ScaleOutTest {

  static final int EVENTS = 300;

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void killingOneInstanceMidLoadLosesNothing() throws Exception {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "all-apps-html.yaml"), dir.resolve("data"));
    properties.remove("server.port");
    properties.put("logging.level.root", "INFO");
    properties.put("spring.datasource.url", Postgres.newDatabase());
    properties.put("spring.datasource.username", Postgres.user());
    TestInstance.mailTo(properties, smtp.getSmtp().getPort());
    properties.put("hookflow.runs.lease", "3s");

    List<ObjectNode> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      events.add(Fixtures.salesforceUnassignment());
    }
    try (HookflowProcess a = HookflowProcess.start(properties, dir.resolve("a.log"));
        HookflowProcess b = HookflowProcess.start(properties, dir.resolve("b.log"))) {
      AtomicInteger sent = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<?>> deliveries = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        String body = Fixtures.delivery(events.get(i));
        HookflowProcess first = i % 2 == 0 ? a : b;
        deliveries.add(
            clients.submit(
                () -> {
                  if (sent.incrementAndGet() == EVENTS / 3) {
                    a.kill();
                  }
                  // As a load balancer does: a delivery the first instance did not take goes to
                  // the other.
                  if (!accepted(first, body)) {
                    assertThat(accepted(b, body)).isTrue();
                  }
                  return null;
                }));
      }
      for (Future<?> delivery : deliveries) {
        delivery.get();
      }
      clients.shutdown();

      await().atMost(Duration.ofMinutes(3)).until(() -> mailedEvents().size() == EVENTS);
    }

    Map<String, Set<String>> messageIds = mailedEvents();
    Set<String> expected = new HashSet<>();
    events.forEach(e -> expected.add(Fixtures.uuid(e)));
    assertThat(messageIds.keySet()).isEqualTo(expected);
    assertThat(messageIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
  }

  private static boolean accepted(HookflowProcess instance, String body) {
    try {
      return instance.deliver(body).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Event uuid to the Message-IDs of the messages received for it. */
  private static Map<String, Set<String>> mailedEvents() throws MessagingException {
    Map<String, Set<String>> byEvent = new HashMap<>();
    for (MimeMessage message : smtp.getReceivedMessages()) {
      String id = message.getMessageID();
      String uuid = id.substring(1, id.indexOf('.'));
      byEvent.computeIfAbsent(uuid, u -> new HashSet<>()).add(id);
    }
    return byEvent;
  }
}
