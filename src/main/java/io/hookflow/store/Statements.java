package io.hookflow.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The statements every event and run passes through, each prepared once per database connection and
 * executed as often as the transactions on that connection need it.
 *
 * <p>A group commit stores hundreds of events and runs in one transaction, and the store's writer
 * commits hundreds of times a second; preparing (compiling) the same SQL again for each use was a
 * third of the writer's time, and once per transaction still a tenth. The statements are prepared
 * on the pool's physical connection, which the pool does not track, so they outlive the transaction
 * and the pool's handle on the connection; they are dropped with the connection when the pool
 * closes it. Outside a transaction a statement is prepared for its one use.
 */
@Component
public class Statements {

  private final DataSource dataSource;
  private final JdbcTemplate template;
  private volatile Boolean postgres;

  /** Statements by physical connection, then by SQL. */
  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      new ConcurrentHashMap<>();

  Statements(DataSource dataSource, JdbcTemplate template) {
    this.dataSource = dataSource;
    this.template = template;
  }

  /**
   * Whether the database is PostgreSQL (a server, shared by instances) rather than SQLite (a file
   * this process opens alone).
   */
  public boolean postgres() {
    Boolean known = postgres;
    if (known == null) {
      known = "PostgreSQL".equals(productName());
      postgres = known;
    }
    return known;
  }

  private String productName() {
    try {
      return JdbcUtils.extractDatabaseMetaData(
          dataSource, DatabaseMetaData::getDatabaseProductName);
    } catch (MetaDataAccessException e) {
      throw new IllegalStateException("cannot reach the database", e);
    }
  }

  /** Executes {@code sql} with the values {@code values} binds; returns the rows it changed. */
  public int update(String sql, PreparedStatementSetter values) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return template.update(sql, values);
    }
    try {
      PreparedStatement statement = statement(sql);
      values.setValues(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw translate("update", sql, e);
    }
  }

  /**
   * Executes {@code sql} once for each item, as one batch (one round trip to a database server);
   * returns the rows each execution changed, in the order of the items.
   */
  public <T> int[] batch(
      String sql, List<T> items, ParameterizedPreparedStatementSetter<T> values) {
    if (items.isEmpty()) {
      return new int[0];
    }
    int[] changed;
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      changed = template.batchUpdate(sql, items, items.size(), values)[0];
    } else {
      try {
        PreparedStatement statement = statement(sql);
        statement.clearBatch();
        for (T item : items) {
          values.setValues(statement, item);
          statement.addBatch();
        }
        changed = statement.executeBatch();
      } catch (SQLException e) {
        throw translate("batch", sql, e);
      }
    }
    for (int rows : changed) {
      if (rows < 0) {
        // Both drivers report each row; one that did not could not tell duplicates apart.
        throw new IllegalStateException("the database did not report the rows of " + sql);
      }
    }
    return changed;
  }

  /**
   * Runs {@code sql}, a statement that handles a whole list in one execution and returns the key of
   * each row it inserted or changed (on PostgreSQL: {@code … FROM unnest(?::varchar[], …) …
   * RETURNING key}); for each of {@code keys} in order, whether its row was. A key listed twice
   * counts for the first of them.
   */
  public boolean[] returning(String sql, String[] keys, PreparedStatementSetter values) {
    Set<String> returned = new HashSet<>(query(sql, values, (rs, row) -> rs.getString(1)));
    boolean[] found = new boolean[keys.length];
    for (int i = 0; i < keys.length; i++) {
      found[i] = returned.remove(keys[i]);
    }
    return found;
  }

  /** Runs the query {@code sql} with the values {@code values} binds; its rows, mapped. */
  public <T> List<T> query(String sql, PreparedStatementSetter values, RowMapper<T> rows) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return template.query(sql, values, rows);
    }
    try {
      PreparedStatement statement = statement(sql);
      values.setValues(statement);
      List<T> mapped = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          mapped.add(rows.mapRow(result, mapped.size()));
        }
      }
      return mapped;
    } catch (SQLException e) {
      throw translate("query", sql, e);
    }
  }

  private DataAccessException translate(String task, String sql, SQLException e) {
    DataAccessException translated = template.getExceptionTranslator().translate(task, sql, e);
    return translated != null ? translated : new UncategorizedSQLException(task, sql, e);
  }

  /** The statement for {@code sql} on the physical connection of the current transaction. */
  private PreparedStatement statement(String sql) throws SQLException {
    Bound bound = (Bound) TransactionSynchronizationManager.getResource(this);
    if (bound == null) {
      Connection handle = DataSourceUtils.getConnection(dataSource);
      Connection physical = handle.unwrap(Connection.class);
      bound = new Bound(physical, preparedOn(physical));
      TransactionSynchronizationManager.bindResource(this, bound);
      TransactionSynchronizationManager.registerSynchronization(new Release(handle));
    }
    PreparedStatement statement = bound.prepared().get(sql);
    if (statement == null) {
      statement = bound.physical().prepareStatement(sql);
      bound.prepared().put(sql, statement);
    }
    return statement;
  }

  /** The physical connection of the current transaction, and its statements. */
  private record Bound(Connection physical, Map<String, PreparedStatement> prepared) {}

  /**
   * The statements of a physical connection; a connection not seen before gets an empty map, and
   * the maps of connections the pool has closed since are dropped (the driver closed their
   * statements with them).
   */
  private Map<String, PreparedStatement> preparedOn(Connection physical) throws SQLException {
    Map<String, PreparedStatement> prepared = byConnection.get(physical);
    if (prepared == null || physical.isClosed()) {
      byConnection.keySet().removeIf(Statements::closed);
      prepared = new HashMap<>();
      byConnection.put(physical, prepared);
    }
    return prepared;
  }

  /** How many physical connections have statements kept. */
  int connectionsHeld() {
    return byConnection.size();
  }

  private static boolean closed(Connection connection) {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** Unbinds the statements when the transaction ends and gives its connection handle back. */
  private final class Release implements TransactionSynchronization {

    private final Connection handle;

    Release(Connection handle) {
      this.handle = handle;
    }

    @Override
    public void afterCompletion(int status) {
      TransactionSynchronizationManager.unbindResource(Statements.this);
      DataSourceUtils.releaseConnection(handle, dataSource);
    }
  }
}
