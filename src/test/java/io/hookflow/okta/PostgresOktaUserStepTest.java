package io.hookflow.okta;

import io.hookflow.Postgres;
import java.util.Map;

/** The same tests with PostgreSQL as the store. */
class PostgresOktaUserStepTest extends OktaUserStepTest {

  private final Map<String, String> database = Postgres.newDatabaseSettings();

  @Override
  Map<String, String> database() {
    return database;
  }
}
