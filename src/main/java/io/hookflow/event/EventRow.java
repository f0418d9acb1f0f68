package io.hookflow.event;

import java.time.Instant;

/**
 * A stored event as listed, without its payload.
 *
 * @param source {@code hook} or {@code poll}
 * @param matchedFlows how many flows it started when it arrived
 * @param user the person it is about (login, else display name), if any
 * @param application the application it names (label, else id), if any
 */
public record EventRow(
    String uuid,
    String eventType,
    Instant published,
    Instant receivedAt,
    String source,
    int matchedFlows,
    String user,
    String application) {}
