package io.hookflow.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests Tomcat refuses before any of hookflow's code sees them (a malformed request line or
 * header, an encoded {@code /} or {@code ..} in the path) get hookflow's JSON error body rather
 * than Tomcat's HTML page: Tomcat's error report valve is replaced by one that writes {@link
 * ErrorBody}.
 */
@Component
class ContainerErrors
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final JsonMapper json;

  ContainerErrors(JsonMapper json) {
    this.json = json;
  }

  /** After Spring Boot's own customizer, which adds Tomcat's valve to the host. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          StandardHost host = (StandardHost) context.getParent();
          Pipeline pipeline = host.getPipeline();
          for (Valve valve : pipeline.getValves()) {
            if (valve instanceof ErrorReportValve) {
              pipeline.removeValve(valve);
            }
          }
          pipeline.addValve(new JsonReport(json));
          // The host adds a valve of this class when it starts unless one is there already.
          host.setErrorReportValveClass(JsonReport.class.getName());
        });
  }

  /** Tomcat's error report, as hookflow's JSON error body. */
  static final class JsonReport extends ErrorReportValve {

    private final JsonMapper json;

    JsonReport(JsonMapper json) {
      this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      // As Tomcat's own: only an error, only if nothing was written, only once.
      if (response.getStatus() < 400
          || response.getContentWritten() > 0
          || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean writable = new AtomicBoolean();
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, writable);
      if (!writable.get()) {
        return;
      }
      HttpStatus status = HttpStatus.resolve(response.getStatus());
      if (status == null) {
        status = HttpStatus.INTERNAL_SERVER_ERROR;
      }
      Object refusal = request.getAttribute(ErrorBody.MESSAGE);
      String message =
          refusal instanceof String text
              ? text
              : status == HttpStatus.BAD_REQUEST
                  ? "the request is not valid HTTP, or its path is not allowed"
                  : status.getReasonPhrase();
      try {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        Writer writer = response.getReporter();
        if (writer != null) {
          writer.write(json.writeValueAsString(ErrorBody.of(status, message)));
          response.finishResponse();
        }
      } catch (IOException | IllegalStateException e) {
        // The client is gone or the response was taken: nothing more to tell it.
      }
    }
  }
}
