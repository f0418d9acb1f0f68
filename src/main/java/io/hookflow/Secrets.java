package io.hookflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Generated secrets and the owner-only files that keep them under the data folder. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A random value of {@code bytes} bytes, as URL-safe Base64 text. */
  public static String random(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /**
   * Writes a new file readable by its owner only, whole or not at all: it is written beside its
   * place and moved there. Fails if the file exists.
   */
  public static void writeOwnerOnly(Path file, String content) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".part");
    Files.deleteIfExists(partial);
    try {
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(partial);
    }
    Files.writeString(partial, content + System.lineSeparator(), StandardCharsets.UTF_8);
    Files.move(partial, file);
  }
}
