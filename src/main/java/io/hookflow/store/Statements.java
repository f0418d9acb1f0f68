package io.hookflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The statements every event and run passes through, each prepared once per transaction and
 * executed as often as that transaction needs it.
 *
 * <p>A group commit stores hundreds of events and runs in one transaction; preparing (compiling)
 * the same SQL again for each of them was a third of the store writer's time. The statements are
 * closed when the transaction ends, before its connection goes back to the pool. Outside a
 * transaction a statement is prepared for its one use.
 */
@Component
public class Statements {

  private final DataSource dataSource;
  private final JdbcTemplate template;

  Statements(DataSource dataSource, JdbcTemplate template) {
    this.dataSource = dataSource;
    this.template = template;
  }

  /** Executes {@code sql} with the values {@code values} binds; returns the rows it changed. */
  public int update(String sql, PreparedStatementSetter values) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return template.update(sql, values);
    }
    try {
      PreparedStatement statement = prepared().statement(sql);
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
        PreparedStatement statement = prepared().statement(sql);
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

  private DataAccessException translate(String task, String sql, SQLException e) {
    DataAccessException translated = template.getExceptionTranslator().translate(task, sql, e);
    return translated != null ? translated : new UncategorizedSQLException(task, sql, e);
  }

  private Prepared prepared() {
    Prepared prepared = (Prepared) TransactionSynchronizationManager.getResource(this);
    if (prepared == null) {
      prepared = new Prepared(DataSourceUtils.getConnection(dataSource));
      TransactionSynchronizationManager.bindResource(this, prepared);
      TransactionSynchronizationManager.registerSynchronization(prepared);
    }
    return prepared;
  }

  /** The statements of one transaction, by their SQL. */
  private final class Prepared implements TransactionSynchronization {

    private final Connection connection;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();

    Prepared(Connection connection) {
      this.connection = connection;
    }

    PreparedStatement statement(String sql) throws SQLException {
      PreparedStatement statement = bySql.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        bySql.put(sql, statement);
      }
      return statement;
    }

    @Override
    public void afterCompletion(int status) {
      TransactionSynchronizationManager.unbindResource(Statements.this);
      for (PreparedStatement statement : bySql.values()) {
        try {
          statement.close();
        } catch (SQLException e) {
          // The connection is closed or broken; the pool discards it, and the statement with it.
        }
      }
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }
}
