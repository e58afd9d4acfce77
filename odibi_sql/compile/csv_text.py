"""Reading a csv as text and keeping the rows that parse, where the engine's csv reader keeps no
rejected rows (Spark; ``plan.dead_letter_text`` runs it, the compiler shows it).

The node's csv reader is read with every column as text (``all_varchar``, ``store_rejects``: read
leniently, with the file, the record's field counts and its text added, see
``compile.file_tables``) into a stage table. Each column's value is cast with ``TRY_CAST`` to the
type DuckDB's reader gives it; a row is good when it has as many fields as the table has columns
(empty fields past the last one do not count, as in DuckDB) and every non-empty value casts. Good
rows are what the node's statements read in place of the reader; each problem of a bad row is one
rejected row with DuckDB's error types and messages: ``CAST`` (one per value that does not cast),
``MISSING COLUMNS`` (one per missing column), ``TOO MANY COLUMNS``. The line number is not known
(NULL).
"""

from __future__ import annotations

from sqlglot import exp

FILE_COLUMN = "__odibi_file"
FIELDS_COLUMN = "__odibi_fields"
FILLED_COLUMN = "__odibi_filled"
LINE_COLUMN = "__odibi_line"
_TEXT = exp.DataType.build("VARCHAR")
_DROPPED_OPTIONS = frozenset(
    ("types", "dtypes", "column_types", "all_varchar", "store_rejects", "rejects_table", "rejects_scan")
)


def parsed_stage(schema: str, table: str) -> exp.Table:
    """The stage holding a node's csv rows as text (next to its table)."""
    return exp.table_(f"__odibi_parsed_{table}", db=schema, quoted=True)


def read_good_rows(statement: exp.Expression, stage: exp.Table, columns: dict[str, str]) -> exp.Expression:
    """``statement`` reading the good rows of ``stage`` where it read the csv."""
    statement = statement.copy()
    good = good_rows(stage, columns)
    for reader in csv_readers(statement):
        alias = reader.args.get("alias")
        reader.replace(exp.Subquery(this=good.copy(), alias=alias.copy() if alias else None))
    return statement


def create_stage(stage: exp.Table, reader: exp.Table) -> exp.Create:
    """``CREATE TABLE <stage> AS SELECT * FROM <reader read as text>``."""
    return exp.Create(this=stage.copy(), kind="TABLE", expression=text_query(reader), replace=False)


def csv_readers(statement: exp.Expression) -> list[exp.Table]:
    """The tables of ``statement`` that are ``read_csv(...)`` calls."""
    return [
        t
        for t in statement.find_all(exp.Table)
        if isinstance(t.this, exp.ReadCSV)
        or (isinstance(t.this, exp.Anonymous) and t.this.name.lower() in ("read_csv", "read_csv_auto"))
    ]


def text_query(reader: exp.Table) -> exp.Select:
    """``SELECT * FROM`` the reader with every column read as text, rejected rows kept."""
    call = reader.this.copy()
    args = [call.this, *call.expressions] if isinstance(call, exp.ReadCSV) else call.expressions
    options = [
        a.copy() for a in args if not (isinstance(a, exp.EQ) and a.this.name.lower() in _DROPPED_OPTIONS)
    ]
    for key in ("all_varchar", "store_rejects"):
        options.append(exp.EQ(this=exp.column(key), expression=exp.Boolean(this=True)))
    text = exp.Table(this=exp.Anonymous(this="read_csv", expressions=options))
    return exp.select(exp.Star()).from_(text)


def _value(name: str, kind: str) -> tuple[exp.Expression, exp.Expression | None]:
    """The column's value (an empty field is NULL, as in DuckDB's reader) and, for a type other
    than text, its cast (NULL when the text does not cast)."""
    column = exp.column(name, quoted=True)
    column.type = _TEXT.copy()  # the lowerings cast text as DuckDB does (integers round)
    value = exp.Nullif(this=column, expression=exp.Literal.string(""))
    target = exp.DataType.build(kind, dialect="duckdb")
    if target.this in (exp.DType.VARCHAR, exp.DType.TEXT):
        return value, None
    operand: exp.Expression = column.copy()
    if target.this == exp.DType.BOOLEAN:  # Spark's cast trims spaces around a boolean; DuckDB's does not
        trimmed = exp.EQ(this=exp.Trim(this=column.copy()), expression=column.copy())
        operand = exp.Case(ifs=[exp.If(this=trimmed, true=column.copy())])
    cast = exp.TryCast(this=operand, to=target, safe=True)
    cast.type = target.copy()
    return value, cast


def _cast_fails(name: str, kind: str) -> exp.Expression | None:
    value, cast = _value(name, kind)
    if cast is None:
        return None
    return exp.and_(
        exp.not_(exp.Is(this=value, expression=exp.null())), exp.Is(this=cast, expression=exp.null())
    )


def _shape_fails(count: int) -> exp.Expression:
    """Fewer fields than columns, or more with a non-empty one past the last column."""
    n = exp.Literal.number(count)
    fields, filled = _col(FIELDS_COLUMN), _col(FILLED_COLUMN)
    return exp.or_(exp.LT(this=fields, expression=n), exp.GT(this=filled, expression=n.copy()))


def good_rows(stage: exp.Table, columns: dict[str, str]) -> exp.Select:
    """The rows of ``stage`` that parse, each value cast to its column's type."""
    fails = [f for name, kind in columns.items() if (f := _cast_fails(name, kind)) is not None]
    projections = []
    for name, kind in columns.items():
        value, cast = _value(name, kind)
        projections.append(exp.alias_(cast if cast is not None else value, name, quoted=True))
    condition = exp.not_(exp.paren(exp.or_(_shape_fails(len(columns)), *fails)))
    return exp.select(*projections).from_(stage.copy()).where(condition)


def rejected_rows(stage: exp.Table, columns: dict[str, str]) -> exp.Query:
    """One row per problem: CAST per value, MISSING COLUMNS per missing column, TOO MANY COLUMNS."""
    count = len(columns)
    expected = f"Expected Number of Columns: {count} Found: "
    parts: list[exp.Select] = []

    def problem(column: str | None, kind: str, message: exp.Expression, where: exp.Expression) -> None:
        parts.append(
            exp.select(
                exp.alias_(_col(FILE_COLUMN), "file", quoted=True),
                exp.alias_(exp.cast(exp.null(), "BIGINT"), "line", quoted=True),
                exp.alias_(
                    exp.cast(exp.Literal.string(column) if column else exp.null(), "VARCHAR"),
                    "column_name",
                    quoted=True,
                ),
                exp.alias_(exp.Literal.string(kind), "error_type", quoted=True),
                exp.alias_(_col(LINE_COLUMN), "csv_line", quoted=True),
                exp.alias_(message, "error_message", quoted=True),
            )
            .from_(stage.copy())
            .where(where)
        )

    for name, kind in columns.items():
        fails = _cast_fails(name, kind)
        if fails is not None:
            text = f'Error when converting column "{name}". Could not convert string "'
            message = exp.Concat(
                expressions=[
                    exp.Literal.string(text),
                    _col(name),
                    exp.Literal.string(f"\" to '{kind.upper().split('(')[0].strip()}'"),
                ]
            )
            problem(name, "CAST", message, fails)
    for index, name in enumerate(columns):
        if index:
            missing = exp.LTE(this=_col(FIELDS_COLUMN), expression=exp.Literal.number(index))
            problem(name, "MISSING COLUMNS", exp.Literal.string(f"{expected}{index}"), missing)
    too_many = exp.GT(this=_col(FILLED_COLUMN), expression=exp.Literal.number(count))
    problem(None, "TOO MANY COLUMNS", exp.Literal.string(f"{expected}{count + 1}"), too_many)
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    return union


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)
