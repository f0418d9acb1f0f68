import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A bare HTTP service: reads each request's body and answers 200 with a small JSON body, storing
 * nothing. bench/run drives it with the same wrk load as hookflow's single-event intake, in the
 * same round, so that intake can also be read as a share of what this machine serves over HTTP at
 * that moment (machines of one size differ, and one machine varies from minute to minute).
 *
 * <p>java bench/Responder.java PORT
 *
 * <p>Only the JDK: its built-in HTTP server (keep-alive, HTTP/1.1) with 8 request threads.
 */
public class Responder {

  private static final byte[] ANSWER = "{}".getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws IOException {
    // Its headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm holds the
    // second until the client's delayed acknowledgement (40 ms), and 32 connections make ~700/s.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
    HttpServer server = HttpServer.create(address, 1024);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
          }
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, ANSWER.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(ANSWER);
          }
          exchange.close();
        });
    server.start();
  }
}
