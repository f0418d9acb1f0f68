package io.hookflow.hook;

import io.hookflow.HookflowProperties;
import io.hookflow.event.EventIntake;
import io.hookflow.event.InvalidEventException;
import io.hookflow.store.StoreUnavailableException;
import io.hookflow.web.ApiException;
import io.hookflow.web.ErrorBody;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/**
 * Okta's event hook contract: a one-time verification GET, then POSTed deliveries acknowledged only
 * once every event in them is stored.
 *
 * <p>This is the one path that must keep up with a burst, so it is served by the first filter of
 * the servlet chain and goes no further: no dispatcher, no security chain, no observation per
 * request. It has its own authentication (the shared secret, compared in constant time) and answers
 * refusals in the same JSON shape as the rest of the API.
 */
class OktaHookFilter extends HttpFilter {

  static final String PATH = "/hooks/okta";
  static final String CHALLENGE = "X-Okta-Verification-Challenge";
  private static final String ALLOWED = "GET, POST, OPTIONS";

  /** How long Okta waits for an answer to a delivery before it counts it failed (and retries). */
  private static final Duration OKTA_WAITS = Duration.ofSeconds(3);

  private static final Logger log = LoggerFactory.getLogger(OktaHookFilter.class);

  /** A body up to this long is read into an array of its declared size; Okta's are well under. */
  private static final int PREALLOCATED_BODY = 256 * 1024;

  private final HookSecret secret;
  private final EventIntake intake;
  private final JsonMapper json;

  /** The parser's "(start marker at [Source: …])" or "(for Array starting at [Source: …])". */
  private static final Pattern SOURCE_NOTE =
      Pattern.compile("\\s*\\([^()\\[]*\\[Source:[^\\]]*\\]\\)");

  private final Deliveries deliveries;
  private final long maxBody;
  private final MeterRegistry meters;

  /** Requests answered 200: deliveries acknowledged, and verifications. */
  private final Counter answeredOk;

  private final Timer acknowledgedIn;

  OktaHookFilter(
      HookSecret secret,
      EventIntake intake,
      JsonMapper json,
      HookflowProperties properties,
      MeterRegistry meters) {
    this.secret = secret;
    this.intake = intake;
    this.json = json;
    this.deliveries = new Deliveries(json, properties.hook().maxEvents());
    this.maxBody = properties.hook().maxBody().toBytes();
    this.meters = meters;
    this.answeredOk = requests(HttpServletResponse.SC_OK);
    this.acknowledgedIn = deliveries(HttpServletResponse.SC_OK);
  }

  /** Requests to the hook by the status they got: Spring's per-request metrics do not see them. */
  private Counter requests(int status) {
    return Counter.builder("hookflow.hook.requests")
        .description("Requests to the Okta event hook, by the status answered")
        .tag("status", Integer.toString(status))
        .register(meters);
  }

  /**
   * How long deliveries took to answer, by the status answered, with buckets up to Okta's 3 s: the
   * time from the request reaching the hook until its answer is known (for a 200, until its events
   * are committed), so an alert can fire well before Okta gives up on a delivery.
   */
  private Timer deliveries(int status) {
    return Timer.builder("hookflow.hook.deliveries")
        .description("Time to answer a delivery to the Okta event hook, by the status answered")
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(
            Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1), OKTA_WAITS)
        .register(meters);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    try {
      switch (request.getMethod()) {
        case "POST" -> deliverTimed(request, response);
        case "GET" -> verify(request, response);
        case "OPTIONS" -> response.setHeader("Allow", ALLOWED);
        default -> {
          response.setHeader("Allow", ALLOWED);
          throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "use GET or POST");
        }
      }
    } catch (ApiException e) {
      refuse(request, response, e.status(), e.getMessage());
    } catch (StoreUnavailableException e) {
      // Logged once for all the deliveries it refuses, by the store's writer.
      refuse(
          request,
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          "the store cannot take events now; nothing was acknowledged");
    } catch (RuntimeException e) {
      log.error("delivery failed", e);
      refuse(
          request,
          response,
          HttpStatus.INTERNAL_SERVER_ERROR,
          "internal error; nothing was acknowledged");
    }
  }

  private void verify(HttpServletRequest request, HttpServletResponse response) throws IOException {
    authenticate(request);
    String challenge = request.getHeader(CHALLENGE);
    if (challenge == null || challenge.isBlank()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "missing header " + CHALLENGE);
    }
    write(response, HttpStatus.OK, Map.of("verification", challenge));
    answeredOk.increment();
  }

  private void deliverTimed(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Timer.Sample answering = Timer.start(meters);
    int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    try {
      deliver(request, response);
      status = HttpServletResponse.SC_OK;
    } catch (ApiException e) {
      status = e.status().value();
      throw e;
    } catch (StoreUnavailableException e) {
      status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
      throw e;
    } finally {
      answering.stop(status == HttpServletResponse.SC_OK ? acknowledgedIn : deliveries(status));
    }
    answeredOk.increment();
  }

  private void deliver(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    authenticate(request);
    requireJson(request.getContentType());
    byte[] body = body(request);
    if (body.length == 0) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "the body is empty");
    }
    try {
      intake.accept(deliveries.events(body), "hook");
    } catch (JacksonException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, malformed(e));
    } catch (InvalidEventException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, e.getMessage());
    } catch (Deliveries.TooManyEvents e) {
      throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentLength(0);
  }

  private void authenticate(HttpServletRequest request) {
    if (!secret.matches(request.getHeader(secret.header()))) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED, "missing or wrong secret in header " + secret.header());
    }
  }

  private static void requireJson(String contentType) {
    try {
      if (contentType != null) {
        MediaType type = MediaType.parseMediaType(contentType);
        if (type.isCompatibleWith(MediaType.APPLICATION_JSON)
            || "json".equals(type.getSubtypeSuffix())) {
          return;
        }
      }
    } catch (InvalidMediaTypeException e) {
      // Not a media type at all (or one naming an unknown charset): refused below like any other.
    }
    throw new ApiException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be application/json, not "
            + (contentType == null ? "missing" : contentType));
  }

  private byte[] body(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    if (length > maxBody) {
      throw tooLarge();
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      if (length >= 0 && length <= PREALLOCATED_BODY) {
        // Okta says how long the body is: read it into an array of that size, rather than in
        // 8 KiB pieces copied together at the end (the largest allocation of a delivery). Larger
        // bodies are read as they arrive, so that a declared length alone reserves no memory.
        body = new byte[(int) length];
        if (in.readNBytes(body, 0, body.length) < body.length) {
          throw unreadable();
        }
        return body;
      }
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
    } catch (IOException e) {
      // The client stopped sending (or the connection broke): nothing was taken in.
      throw unreadable();
    }
    if (body.length > maxBody) {
      throw tooLarge();
    }
    return body;
  }

  /**
   * What is wrong with the JSON and where, without the parser's note on where it read from (which
   * says nothing to the sender: "[Source: REDACTED …; byte offset: #UNKNOWN]").
   */
  private static String malformed(JacksonException e) {
    String message = SOURCE_NOTE.matcher(e.getOriginalMessage()).replaceAll("");
    TokenStreamLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      message += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return "malformed JSON: " + message;
  }

  private static ApiException unreadable() {
    return new ApiException(HttpStatus.BAD_REQUEST, "the body could not be read to its end");
  }

  private ApiException tooLarge() {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "the body is larger than " + maxBody + " bytes (hookflow.hook.max-body)");
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String message)
      throws IOException {
    requests(status.value()).increment();
    // Should the container answer instead (it does when the body could not be read), it says the
    // same (ErrorBody.MESSAGE).
    request.setAttribute(ErrorBody.MESSAGE, message);
    if (response.isCommitted()) {
      return;
    }
    write(response, status, ErrorBody.of(status, message));
  }

  private void write(HttpServletResponse response, HttpStatus status, Object body)
      throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
