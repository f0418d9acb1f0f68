package io.hookflow.lease;

import io.hookflow.Postgres;
import java.nio.file.Path;
import java.util.Map;

class PostgresLeaseTest extends LeaseContract {

  @Override
  Map<String, String> database(Path dir) {
    return Map.of(
        "spring.datasource.url", Postgres.newDatabase(),
        "spring.datasource.username", Postgres.user());
  }
}
