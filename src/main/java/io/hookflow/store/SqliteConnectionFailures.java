package io.hookflow.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;
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
 * fails (disk full, I/O error) can leave the same kind of disagreement behind. The pool only
 * replaces connections for errors it knows (PostgreSQL's connection errors, say), and SQLite's
 * carry no SQL state, so those of SQLite are named here; errors of a statement itself (a
 * constraint, bad SQL) keep the connection.
 */
public class SqliteConnectionFailures implements SQLExceptionOverride {

  /**
   * SQLite's primary result codes for trouble with the file or the lock on it: BUSY, LOCKED, NOMEM,
   * READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB.
   */
  private static final Set<Integer> FILE_TROUBLE = Set.of(5, 6, 7, 8, 10, 11, 13, 14, 15, 26);

  @java.lang.Override
  public Override adjudicate(SQLException e) {
    if (e instanceof SQLiteException sqlite
        && FILE_TROUBLE.contains(sqlite.getResultCode().code & 0xff)) {
      return Override.MUST_EVICT;
    }
    return Override.CONTINUE_EVICT;
  }
}
