package io.hookflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** Generated secrets and the owner-only files that keep them under the data folder. */
public final class Secrets {

  /**
   * The fewest characters a secret or password chosen by the administrator may have. Anyone who can
   * reach hookflow can try values (the console's at 2 a second, {@code RememberedPasswords}; the
   * hook's as fast as the machine answers), so a short one would be found. NIST SP 800-63B asks at
   * least 15 of a password that is the only factor; the generated ones have 24 and 43.
   */
  public static final int MINIMUM_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A random value of {@code bytes} bytes, as URL-safe Base64 text. */
  public static String random(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /**
   * The value, if it has at least {@link #MINIMUM_LENGTH} characters.
   *
   * @param what names the setting or file the value came from, for the error
   * @throws WeakSecretException if it is shorter; the message never contains the value
   */
  public static String requireLongEnough(String value, String what) {
    int length = value.codePointCount(0, value.length());
    if (length < MINIMUM_LENGTH) {
      throw new WeakSecretException(what, length);
    }
    return value;
  }

  /**
   * Writes a new file readable by its owner only, whole or not at all: it is written beside its
   * place and moved there. Fails if the file exists.
   */
  public static void writeOwnerOnly(Path file, String content) throws IOException {
    Path partial = OwnerOnly.createPartFor(file);
    Files.writeString(partial, content + System.lineSeparator(), StandardCharsets.UTF_8);
    Files.move(partial, file);
  }
}
