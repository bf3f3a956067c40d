"""The drill archive (SQLite through sqlite-utils). Imports no Qt."""
