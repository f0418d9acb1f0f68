package io.hookflow.console;

import io.hookflow.HookflowProperties;
import io.hookflow.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The administrator's login: the configured password, or else one generated once, of which only the
 * hash is kept (under the data folder, owner-only). The plain password goes into a file of its own
 * beside it, owner-only as well, for the administrator to read and delete: never into the log,
 * which is often collected where others can read it.
 */
final class ConsoleCredentials {

  private static final Logger log = LoggerFactory.getLogger(ConsoleCredentials.class);
  static final String FILE = "console-password";
  static final String INITIAL_FILE = "initial-console-password";

  private ConsoleCredentials() {}

  /**
   * The administrator, looked up by name. A configured password is hashed in the background: a
   * bcrypt hash takes a good part of a second on a small machine, and nobody signs in during the
   * start-up; the first sign-in waits for it if need be.
   */
  static UserDetailsService administrator(
      ConsoleProperties console, HookflowProperties properties, PasswordEncoder encoder) {
    boolean configured = console.password() != null && !console.password().isBlank();
    if (configured) {
      Secrets.requireLongEnough(console.password(), "hookflow.console.password");
    }
    CompletableFuture<UserDetails> admin =
        configured
            ? CompletableFuture.supplyAsync(() -> admin(console, properties, encoder))
            : CompletableFuture.completedFuture(admin(console, properties, encoder));
    return username -> {
      UserDetails found = admin.join();
      if (!found.getUsername().equals(username)) {
        throw new UsernameNotFoundException("no such user");
      }
      // A copy: signing in erases the credentials of the user it was given.
      return User.withUserDetails(found).build();
    };
  }

  static UserDetails admin(
      ConsoleProperties console, HookflowProperties properties, PasswordEncoder encoder) {
    String hash =
        console.password() == null || console.password().isBlank()
            ? stored(properties.data(), console.username(), encoder)
            : encoder.encode(console.password());
    return User.withUsername(console.username()).password(hash).roles("ADMIN").build();
  }

  private static String stored(Path data, String username, PasswordEncoder encoder) {
    Path file = data.resolve(FILE).toAbsolutePath().normalize();
    Path initial = data.resolve(INITIAL_FILE).toAbsolutePath().normalize();
    try {
      if (Files.exists(file)) {
        log.info(
            "Console and API: user '{}', with the password generated at an earlier start (its"
                + " hash in {}{}); lost it? Set hookflow.console.password, or delete that file and"
                + " restart for a new one",
            username,
            file,
            Files.exists(initial)
                ? "; the password itself in " + initial + " until you delete it"
                : "");
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String password = Secrets.random(18);
      String hash = encoder.encode(password);
      // One left from an earlier password (its hash deleted for a new one) would mislead.
      Files.deleteIfExists(initial);
      Secrets.writeOwnerOnly(initial, password);
      Secrets.writeOwnerOnly(file, hash);
      log.warn(
          """

          No hookflow.console.password was configured, so one was generated for the console and API,
          user '{}'. Read it from {} (owner-only) and delete that file once you have signed in:
          only its hash is kept, in {}. To change it, set hookflow.console.password (or
          HOOKFLOW_CONSOLE_PASSWORD), or delete the hash's file and restart.
          """,
          username,
          initial,
          file);
      return hash;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the console password " + file, e);
    }
  }
}
