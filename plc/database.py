"""SQLite as a real target: write-ahead logging so the server, the workers and readers do not
block one another, and a busy timeout instead of 'database is locked' errors."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# The largest id a row can have: tables use `Integer` keys, 32-bit on PostgreSQL (SQLite's are
# 64-bit). An id from outside (a URL, a live event) beyond it names no row: it is refused before
# it reaches the database, which would otherwise fail on it.
MAX_ID = 2**31 - 1
