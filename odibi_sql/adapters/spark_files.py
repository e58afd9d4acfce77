"""File sources on Spark: the external tables of file readers (``compile.file_tables``), each
created and refreshed once per run, so files added since an earlier run are read."""

from __future__ import annotations

from sqlglot import exp

from odibi_sql.compile.file_tables import FileTable, FileTables, SourceFileError

__all__ = ["SourceFileError", "SourceFiles"]


class SourceFiles:
    """Swaps file readers for their external tables; knows which were created in this run."""

    def __init__(self) -> None:
        self._tables = FileTables()
        self._created: set[str] = set()  # the CREATE (Spark SQL) of tables created in this run

    def resolve(self, statement: exp.Expression) -> tuple[exp.Expression, list[exp.Expression]]:
        """``statement`` with readers replaced, and the statements to run before it: CREATE and
        REFRESH of each external table not yet created in this run; ``created`` records that they
        ran."""
        statement, tables = self._tables.resolve(statement)
        pending = [s for t in tables if _key(t) not in self._created for s in (t.create, t.refresh)]
        return statement, pending

    def created(self, create: exp.Expression) -> None:
        """``create`` (one returned by ``resolve``) ran: later statements read its table as it is."""
        if isinstance(create, exp.Create):
            self._created.add(create.sql("spark"))

    def close(self) -> None:
        self._tables.close()


def _key(table: FileTable) -> str:
    return table.create.sql("spark")
