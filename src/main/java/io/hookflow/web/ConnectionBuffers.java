package io.hookflow.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Each open connection keeps a read and a write buffer on the heap for as long as it is open, 8 KiB
 * each by Tomcat's default. At 4 KiB (a single-event delivery and its headers fit in one read; a
 * larger one is read in more pieces) a connection holds ≈11 KB instead of ≈18 KB, so that {@code
 * server.tomcat.max-connections} can be 1,024 in the 96 MiB heap the README sets: a client busy on
 * several hundred connections is served in turn, instead of the connections beyond the cap waiting
 * for others to close (bench/README.md, "Many connections at once").
 */
@Component
class ConnectionBuffers implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

  private static final int BYTES = 4096;

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addConnectorCustomizers(
        connector -> {
          connector.setProperty("socket.appReadBufSize", Integer.toString(BYTES));
          connector.setProperty("socket.appWriteBufSize", Integer.toString(BYTES));
        });
  }
}
