package io.hookflow.hook;

import io.hookflow.HookflowProperties;
import io.hookflow.event.EventIntake;
import io.hookflow.event.InvalidEventException;
import io.hookflow.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Okta's event hook contract: a one-time verification GET, then POSTed deliveries acknowledged only
 * once every event in them is stored.
 */
@RestController
@RequestMapping("/hooks/okta")
class OktaHookController {

  static final String CHALLENGE = "X-Okta-Verification-Challenge";

  private final HookSecret secret;
  private final EventIntake intake;
  private final JsonMapper json;
  private final long maxBody;

  OktaHookController(
      HookSecret secret, EventIntake intake, JsonMapper json, HookflowProperties properties) {
    this.secret = secret;
    this.intake = intake;
    this.json = json;
    this.maxBody = properties.hook().maxBody().toBytes();
  }

  @GetMapping
  Map<String, String> verify(HttpServletRequest request) {
    authenticate(request);
    String challenge = request.getHeader(CHALLENGE);
    if (challenge == null || challenge.isBlank()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "missing header " + CHALLENGE);
    }
    return Map.of("verification", challenge);
  }

  @PostMapping
  ResponseEntity<Void> deliver(HttpServletRequest request) throws IOException {
    authenticate(request);
    requireJson(request.getContentType());
    JsonNode delivery = parse(body(request));
    try {
      intake.accept(Deliveries.events(delivery), "hook");
    } catch (InvalidEventException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    return ResponseEntity.ok().build();
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
    } catch (InvalidMimeTypeException e) {
      // refused below like any other type
    }
    throw new ApiException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be application/json, not "
            + (contentType == null ? "missing" : contentType));
  }

  private byte[] body(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > maxBody) {
      throw tooLarge();
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
      if (body.length > maxBody) {
        throw tooLarge();
      }
      return body;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE, "the body is larger than " + maxBody + " bytes");
  }

  private JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "the body is empty");
    }
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
    }
  }
}
