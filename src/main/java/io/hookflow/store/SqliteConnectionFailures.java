package io.hookflow.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/**
 * Tells the connection pool to replace an SQLite connection that met trouble with the database
 * file, rather than lend it again.
 *
 * <p>sqlite-jdbc marks a connection as in a transaction before it sends {@code BEGIN IMMEDIATE}; if
 * that fails (another process held the write lock longer than {@code busy_timeout}), the connection
 * believes itself in a transaction it never began. Every later transaction on it then ran each
 * statement in a transaction of its own and failed at its commit: a delivery was stored in part and
 * still refused, runs were claimed and never started, and so on until a restart. A commit that
 * fails (disk full, I/O error) can leave the same kind of disagreement behind, and so can a
 * rollback that finds the transaction already rolled back by SQLite (it does that itself on a full
 * disk). The pool only replaces connections for errors it knows (PostgreSQL's connection errors,
 * say), and SQLite's carry no SQL state; so any SQLite error that reaches the pool replaces the
 * connection, but a broken constraint, which says nothing about the connection. (Opening one costs
 * a millisecond or two; the prepared statements of {@link Statements} go with the old one.)
 */
public class SqliteConnectionFailures implements SQLExceptionOverride {

  private static final int SQLITE_CONSTRAINT = 19;

  @java.lang.Override
  public Override adjudicate(SQLException e) {
    if (e instanceof SQLiteException sqlite
        && (sqlite.getResultCode().code & 0xff) != SQLITE_CONSTRAINT) {
      return Override.MUST_EVICT;
    }
    return Override.CONTINUE_EVICT;
  }
}
