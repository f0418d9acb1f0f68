package io.hookflow.hook;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.tomcat.TomcatWebServer;

/**
 * A client may keep hundreds of connections open at once (a proxy, a load test, several Okta orgs
 * through one instance); each is served in turn, not left waiting for others to close.
 */
class ManyConnectionsTest {

  /** More than the 256 connections hookflow kept before its buffers were made smaller. */
  private static final int OPEN = 300;

  @TempDir static Path dir;
  static TestInstance hookflow;

  @BeforeAll
  static void start() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("hookflow.runs.workers", "0");
    hookflow = TestInstance.start(properties);
  }

  @AfterAll
  static void stop() {
    hookflow.close();
  }

  @Test
  void everyOneOfHundredsOfOpenConnectionsIsAnsweredAndADeliveryToo() throws IOException {
    URI url = URI.create(hookflow.url("/hooks/okta"));
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < OPEN; i++) {
        Socket socket = new Socket(url.getHost(), url.getPort());
        open.add(socket);
        // Beyond the connections the server keeps, a connection is accepted by the kernel but its
        // request is not read until another closes: kept alive, none does for 15 s.
        socket.setSoTimeout(5_000);
        assertThat(verify(socket, "c" + i, ""))
            .as("connection %d answered", i + 1)
            .isEqualTo("HTTP/1.1 200 ");
      }

      HttpResponse<String> delivered = hookflow.deliver(delivery(salesforceUnassignment()));

      assertThat(delivered.statusCode()).isEqualTo(200);
      assertThat(hookflow.count("events")).isEqualTo(1);
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  @Test
  void requestHeadersLargerThanAConnectionsBufferAreRead() throws IOException {
    URI url = URI.create(hookflow.url("/hooks/okta"));
    // Over the 4 KiB a connection reads at a time, under the 8 KiB of headers Tomcat takes.
    String large = "x".repeat(7_000);
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);

      assertThat(verify(socket, "big", "X-Padding: " + large + "\r\n")).isEqualTo("HTTP/1.1 200 ");
    }
  }

  @Test
  void eachConnectionsBuffersAreSmallerThanTomcatsSoThatMoreFitTheHeap() {
    Connector connector = ((TomcatWebServer) hookflow.webServer()).getTomcat().getConnector();

    assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("4096");
    assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("4096");
    assertThat(String.valueOf(connector.getProperty("maxConnections"))).isEqualTo("1024");
  }

  /** Sends Okta's verification request on the socket; the status line of the answer. */
  private static String verify(Socket socket, String challenge, String extraHeaders)
      throws IOException {
    String request =
        "GET /hooks/okta HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            + TestInstance.SECRET
            + "\r\nX-Okta-Verification-Challenge: "
            + challenge
            + "\r\n"
            + extraHeaders
            + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    BufferedReader answer =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String status = answer.readLine();
    return status == null ? "" : status.substring(0, Math.min(status.length(), 13));
  }
}
