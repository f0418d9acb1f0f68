package io.hookflow.run;

import io.hookflow.Postgres;
import java.nio.file.Path;
import java.util.Map;

class PostgresRunStoreTest extends RunStoreContract {

  @Override
  Map<String, String> database(Path dir) {
    return Postgres.newDatabaseSettings();
  }
}
