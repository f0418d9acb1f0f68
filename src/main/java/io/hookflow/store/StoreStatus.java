package io.hookflow.store;

import org.springframework.stereotype.Component;

/** Whether the store takes writes, in words for people: what the console's overview shows. */
@Component
public class StoreStatus {

  private final GroupCommit writer;
  private final StoreWatch watch;

  StoreStatus(GroupCommit writer, StoreWatch watch) {
    this.writer = writer;
    this.watch = watch;
  }

  /**
   * What is wrong with the store now, as its health indicator ({@link StoreHealth}) is down for;
   * null while nothing is.
   */
  public String problem() {
    GroupCommit.Outage outage = writer.outage();
    if (outage != null) {
      return "refuses writes since " + outage.since() + ": " + outage.cause();
    }
    return watch.problem();
  }
}
