package io.hookflow.run;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run ids are version 7 UUIDs (RFC 9562): the creation time in milliseconds, then 74 random bits.
 * Ids of runs created together sort together, so each insert lands at the end of the key index
 * instead of at a random page of it, and making one takes no lock: {@link UUID#randomUUID()} shares
 * one {@code SecureRandom} between all threads. Run ids name runs; they are no secret.
 */
final class RunIds {

  private RunIds() {}

  static String next(long epochMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (epochMillis << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
