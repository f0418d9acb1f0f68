package io.hookflow.run;

import java.util.List;

/** One page of runs, newest first; {@code page} counts from 1. */
public record RunPage(List<RunView> runs, int page, int size, long total) {

  public int pages() {
    return (int) Math.max(1, (total + size - 1) / size);
  }
}
