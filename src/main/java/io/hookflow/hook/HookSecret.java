package io.hookflow.hook;

import io.hookflow.HookflowProperties;
import io.hookflow.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.context.WebApplicationContext;

/**
 * The shared secret Okta sends with every call to the hook. Configured, or else generated once
 * under the data folder (owner-only), the log naming the file: the endpoint is never open by
 * default. Only the service generates it: a command ({@code okta setup-hook}) run without the
 * service's settings would otherwise give Okta a secret the service does not know.
 */
@Component
public class HookSecret {

  private static final Logger log = LoggerFactory.getLogger(HookSecret.class);
  static final String FILE = "hook-secret";

  /** Never updated: only copied ({@link #sha256}). */
  private static final MessageDigest SHA_256 = newSha256();

  private final String secret;
  private final byte[] digest;
  private final String header;

  HookSecret(HookflowProperties properties, ApplicationContext context) {
    this.header = properties.hook().header();
    String secret = properties.hook().secret();
    if (secret == null || secret.isBlank()) {
      Path file = properties.data().resolve(FILE);
      if (!(context instanceof WebApplicationContext) && !Files.exists(file)) {
        throw new IllegalStateException(
            "no hook secret: hookflow.hook.secret is not set and "
                + file.toAbsolutePath().normalize()
                + " does not exist; run the command with the service's settings (in its folder, or"
                + " with its hookflow.data or hookflow.hook.secret), so that Okta is given the"
                + " secret the service checks");
      }
      secret =
          Secrets.requireLongEnough(
              stored(file), "The hook secret in " + file.toAbsolutePath().normalize());
    } else {
      Secrets.requireLongEnough(secret, "hookflow.hook.secret");
    }
    this.secret = secret;
    this.digest = sha256(secret);
  }

  /** The header Okta must send the secret in. */
  public String header() {
    return header;
  }

  /** The secret itself, for setting up Okta's event hook. */
  public String value() {
    return secret;
  }

  /** Compares in constant time: digests of equal length, whatever the offered value. */
  boolean matches(String offered) {
    return offered != null && MessageDigest.isEqual(digest, sha256(offered));
  }

  private String stored(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String secret = Secrets.random(32);
      Secrets.writeOwnerOnly(file, secret);
      // Its path only: the log is often collected where others can read it.
      log.warn(
          """

          No hookflow.hook.secret was configured, so one was generated and kept in {} (owner-only).
          In the Okta Admin Console, Workflow > Event Hooks > your hook > Authentication field:
          field name '{}', secret the content of that file.
          """,
          file.toAbsolutePath().normalize(),
          header);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the hook secret " + file, e);
    }
  }

  /**
   * SHA-256 of the value, from a copy of an unused digest: looking the algorithm up among the
   * security providers, as {@code getInstance} does, cost more than the hash itself.
   */
  private static byte[] sha256(String value) {
    try {
      return ((MessageDigest) SHA_256.clone()).digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
