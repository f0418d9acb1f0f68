package io.hookflow.run;

import java.nio.file.Path;
import java.util.Map;

class SqliteRunStoreTest extends RunStoreContract {

  @Override
  Map<String, String> database(Path dir) {
    return Map.of();
  }
}
