package io.hookflow;

/** A secret or password the administrator chose is too short to be safe ({@link Secrets}). */
public class WeakSecretException extends RuntimeException {

  WeakSecretException(String what, int length) {
    super(
        what
            + " has "
            + length
            + (length == 1 ? " character" : " characters")
            + "; hookflow needs at least "
            + Secrets.MINIMUM_LENGTH);
  }
}
