package io.hookflow.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.sqlite.SQLiteException;

/**
 * Tells a failure of the store itself (it cannot be reached, its disk is full, another process
 * holds its lock) from a failure of one piece of work (a constraint it broke): the first fails
 * every write alike until it passes, the second only that work.
 */
public final class StoreFailures {

  /**
   * SQLite's primary result codes for trouble with the file or the lock on it: BUSY, LOCKED, NOMEM,
   * READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB.
   */
  private static final Set<Integer> SQLITE_FILE_TROUBLE =
      Set.of(5, 6, 7, 8, 10, 11, 13, 14, 15, 26);

  /**
   * PostgreSQL's SQL state classes and states for a server that is away or out of something:
   * connection (08), insufficient resources such as a full disk (53), operator intervention such as
   * a shutdown or a statement timeout (57), system error (58), and a read-only transaction (25006:
   * a standby after a failover).
   */
  private static final Set<String> SERVER_TROUBLE = Set.of("08", "53", "57", "58");

  private StoreFailures() {}

  /** Whether {@code failure} is the store's rather than the work's. */
  public static boolean ofTheStore(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof StoreUnavailableException
          || e instanceof CannotCreateTransactionException
          || e instanceof TransactionSystemException
          || e instanceof DataAccessResourceFailureException
          || e instanceof TransientDataAccessResourceException
          || e instanceof QueryTimeoutException
          || e instanceof SQLTransientConnectionException
          || e instanceof SQLRecoverableException
          || e instanceof SQLTimeoutException) {
        return true;
      }
      if (e instanceof SQLiteException sqlite) {
        return sqliteFileTrouble(sqlite);
      }
      if (e instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.length() >= 2 && SERVER_TROUBLE.contains(state.substring(0, 2))
            || state.equals("25006")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether SQLite's error is about the database file or its lock, not the statement. */
  static boolean sqliteFileTrouble(SQLiteException e) {
    return SQLITE_FILE_TROUBLE.contains(e.getResultCode().code & 0xff);
  }

  /**
   * What the database or its driver said about {@code failure}: the innermost SQL error's message
   * (not that of a socket under it: "Connection refused" names no server), else the innermost one.
   */
  static String describe(Throwable failure) {
    Throwable root = failure;
    if (root instanceof TransactionSystemException commit
        && commit.getOriginalException() != null) {
      root = commit.getOriginalException();
    }
    Throwable innermost = root;
    SQLException innermostSql = null;
    for (Throwable e = root; e != null; e = e.getCause() == e ? null : e.getCause()) {
      innermost = e;
      if (e instanceof SQLException sql) {
        innermostSql = sql;
      }
    }
    Throwable said = innermostSql != null ? innermostSql : innermost;
    String message = said.getMessage();
    return message == null || message.isBlank() ? said.getClass().getSimpleName() : message;
  }
}
