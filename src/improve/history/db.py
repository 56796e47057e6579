"""The little of a database wrapper the history uses: `execute`, `query` (rows as dicts),
`table_names`, `rollback` and `enable_wal` over a plain `sqlite3` connection.

The history once used sqlite-utils' `Database` for exactly these, and importing it (with
its date parser) cost more than a whole `improve status` on the shipped plans; every
command that writes the history paid it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any


class Database:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn  # opened with isolation_level=None: transactions are ours alone

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def table_names(self) -> list[str]:
        return [
            r[0] for r in self.conn.execute("select name from sqlite_master where type = 'table'")
        ]

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def enable_wal(self) -> bool:
        """WAL mode; True when it was not in it before."""
        return self.set_journal("wal")

    def set_journal(self, mode: str) -> bool:
        """SQLite's journal mode (wal, or delete: the rollback journal); True when it
        changed."""
        if self.conn.execute("pragma journal_mode").fetchone()[0].lower() == mode:
            return False
        self.conn.execute(f"pragma journal_mode = {mode}")
        return True
