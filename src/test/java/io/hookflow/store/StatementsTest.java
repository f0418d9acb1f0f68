package io.hookflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** Statements reused within and across transactions, on a real SQLite file. */
class StatementsTest {

  private static final String INSERT = "INSERT INTO notes (id, text) VALUES (?, ?)";

  @TempDir Path dir;
  SingleConnectionDataSource dataSource;
  JdbcTemplate jdbc;
  TransactionTemplate transactions;
  Statements statements;

  @BeforeEach
  void open() {
    dataSource = new SingleConnectionDataSource("jdbc:sqlite:" + dir.resolve("test.db"), true);
    jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    statements = new Statements(dataSource, jdbc);
  }

  @Test
  void oneStatementServesEveryUseInATransaction() {
    int inserted =
        transactions.execute(
            tx -> {
              int n = 0;
              for (int i = 1; i <= 3; i++) {
                n += insert(i, "note " + i);
              }
              return n;
            });

    assertThat(inserted).isEqualTo(3);
    assertThat(jdbc.queryForList("SELECT text FROM notes ORDER BY id", String.class))
        .containsExactly("note 1", "note 2", "note 3");
  }

  @Test
  void aFailedStatementIsTranslatedAndItsTransactionRolledBack() {
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    tx -> {
                      insert(1, "first");
                      insert(1, "again");
                    }))
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("UNIQUE");

    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notes", Integer.class)).isZero();
  }

  @Test
  void aStatementOutlivesItsTransactionOnTheSameConnection() throws Exception {
    Connection physical = dataSource.getConnection();
    AtomicInteger prepared = new AtomicInteger();
    Connection counting =
        (Connection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("prepareStatement")) {
                    prepared.incrementAndGet();
                  }
                  if (method.getName().equals("unwrap")) {
                    return proxy;
                  }
                  try {
                    return method.invoke(physical, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    SingleConnectionDataSource counted = new SingleConnectionDataSource(counting, true);
    Statements reused = new Statements(counted, new JdbcTemplate(counted));
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(counted));

    for (int id = 1; id <= 3; id++) {
      int note = id;
      tx.executeWithoutResult(status -> insert(reused, note, "note " + note));
    }

    assertThat(prepared).hasValue(1);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notes", Integer.class)).isEqualTo(3);
  }

  @Test
  void theStatementsOfAClosedConnectionAreDroppedAndPreparedAgainOnTheNext() {
    // Every transaction gets a connection of its own, closed when it ends (as a pool retires one).
    DriverManagerDataSource fresh = new DriverManagerDataSource(dataSource.getUrl());
    Statements onFresh = new Statements(fresh, new JdbcTemplate(fresh));
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(fresh));

    for (int id = 1; id <= 3; id++) {
      int note = id;
      tx.executeWithoutResult(status -> insert(onFresh, note, "note " + note));
      assertThat(onFresh.connectionsHeld()).isOne();
    }

    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notes", Integer.class)).isEqualTo(3);
  }

  @Test
  void aTransactionRolledBackLeavesTheStatementsToTheNext() {
    transactions.executeWithoutResult(tx -> insert(1, "first"));
    transactions.executeWithoutResult(
        tx -> {
          insert(2, "second");
          tx.setRollbackOnly();
        });
    transactions.executeWithoutResult(tx -> insert(3, "third"));

    assertThat(jdbc.queryForList("SELECT text FROM notes ORDER BY id", String.class))
        .containsExactly("first", "third");
  }

  @Test
  void aBatchSaysWhichOfItsRowsItChanged() {
    transactions.executeWithoutResult(tx -> insert(2, "already there"));

    int[] changed =
        transactions.execute(
            tx ->
                statements.batch(
                    "INSERT INTO notes (id, text) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    List.of(1, 2, 3, 1),
                    (statement, id) -> {
                      statement.setInt(1, id);
                      statement.setString(2, "note " + id);
                    }));

    assertThat(changed).containsExactly(1, 0, 1, 0);
    assertThat(jdbc.queryForList("SELECT text FROM notes ORDER BY id", String.class))
        .containsExactly("note 1", "already there", "note 3");
  }

  @Test
  void outsideATransactionAStatementServesItsOneUse() {
    assertThat(insert(1, "alone")).isOne();
    assertThat(insert(2, "alone too")).isOne();

    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notes", Integer.class)).isEqualTo(2);
  }

  private int insert(int id, String text) {
    return insert(statements, id, text);
  }

  private static int insert(Statements on, int id, String text) {
    return on.update(
        INSERT,
        statement -> {
          statement.setInt(1, id);
          statement.setString(2, text);
        });
  }
}
