package io.hookflow.lease;

import java.nio.file.Path;
import java.util.Map;

class SqliteLeaseTest extends LeaseContract {

  @Override
  Map<String, String> database(Path dir) {
    return Map.of();
  }
}
