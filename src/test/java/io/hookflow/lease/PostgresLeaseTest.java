package io.hookflow.lease;

import io.hookflow.Postgres;
import java.nio.file.Path;
import java.util.Map;

class PostgresLeaseTest extends LeaseContract {

  @Override
  Map<String, String> database(Path dir) {
    return Postgres.newDatabaseSettings();
  }
}
