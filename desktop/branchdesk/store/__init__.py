"""SQLite store via sqlite-utils: connection, schema migrations, queries."""
