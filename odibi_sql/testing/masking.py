"""``sensitive: true`` columns: which columns to mask, and masking values in what users read.

A column is sensitive when it is declared ``sensitive: true``, when a column of the same name in
an upstream node is (matched case-insensitively), or when column lineage shows its values come
from a sensitive column (``email as contact``, ``upper(ssn)``, ``max(email)``): over-masking is
the safe side. A hash (``md5(email)``, ``sha256(...)``) masks the value, so it is not sensitive.

Engine errors are scrubbed of data, never of the SQL: quoted text that is not part of the
statement, the lines that echo it, and what a user-raised ``error(...)`` built from the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from odibi_sql.compile.compiler import CompiledProject
from odibi_sql.lineage.build import LINEAGE, HopTracing

MASK = "***"
_QUOTED = re.compile(r"'((?:[^']|'')*)'|\"((?:[^\"]|\"\")*)\"")
_CSV_LINE = re.compile(r"(Original Line:).*", re.IGNORECASE)
_CONTEXT = re.compile(r"\n(?=LINE \d+:)")
"""Where DuckDB's excerpt of the statement starts (SQL text: kept)."""
_KIND = re.compile(r"[A-Za-z ]*Error: |\[[A-Z_.]+\] ")
"""The error's kind: ``Invalid Input Error: `` (DuckDB), ``[USER_RAISED_EXCEPTION] `` (Spark)."""
_WORD = re.compile(r"\S+")
_USER_ERROR = re.compile(r"\b(error|raise_error)\s*\(", re.IGNORECASE)
# engine errors that quote the data they failed on (the others quote only SQL text)
_DATA_ERRORS = (
    "Conversion Error",
    "Invalid Input Error",
    "Constraint Error",
    "Out of Range Error",
    "CAST_INVALID_INPUT",
    "USER_RAISED_EXCEPTION",
)
_KEY, _TRACER = "sensitive_columns", "hop_tracing"


def sensitive_columns(compiled: CompiledProject, name: str) -> frozenset[str]:
    """Lower-cased names of the columns of ``name`` whose values must never be shown."""
    memo: dict[str, frozenset[str]] = compiled.derived.setdefault(_KEY, {})
    if name not in memo:
        wanted = compiled.dag.ancestors(name) | {name}
        for n in compiled.dag.order:  # ancestors first: each node reads its parents' answers
            if n in wanted and n not in memo:
                memo[n] = _sensitive(compiled, n)
    if name not in memo:
        memo[name] = _sensitive(compiled, name)
    return memo[name]


def _sensitive(compiled: CompiledProject, name: str) -> frozenset[str]:
    nodes = compiled.project.nodes
    upstream = compiled.dag.ancestors(name)
    declared = {
        column.lower()
        for n in {name} | upstream
        if n in nodes
        for column, spec in nodes[n].spec.columns.items()
        if spec.sensitive
    }
    node = compiled.nodes.get(name)
    if not declared or node is None or node.definition.spec.read is not None:
        return frozenset(declared)  # lineage only carries what some ancestor declared
    if not any(sensitive_columns(compiled, p) for p in compiled.dag.parents[name] if p in compiled.nodes):
        return frozenset(declared)
    hop = node.derived.get(LINEAGE)
    if hop is None:
        tracer = compiled.derived.get(_TRACER) or compiled.derived.setdefault(
            _TRACER, HopTracing(compiled.project)
        )
        hop = tracer(node, compiled.nodes)
    derived = {
        column.lower()
        for column, inputs in (hop.columns.items() if hop else ())
        for ref, kinds in inputs.items()
        if ref.node in compiled.nodes
        and ref.column.lower() in sensitive_columns(compiled, ref.node)
        and any(kind.is_direct and not kind.masking for kind in kinds)
    }
    return frozenset(declared | derived)


def format_row(columns: Sequence[str], row: Iterable[object], sensitive: frozenset[str]) -> str:
    """``a=1, email=***``: one sampled row with sensitive values masked."""
    return ", ".join(
        f"{c}={MASK if c.lower() in sensitive else repr(v)}" for c, v in zip(columns, row, strict=False)
    )


def format_values(columns: Sequence[str], row: Iterable[object], sensitive: frozenset[str]) -> str:
    """``1, 2``: one sampled row's values, sensitive ones masked."""
    return ", ".join(MASK if c.lower() in sensitive else repr(v) for c, v in zip(columns, row, strict=False))


def mask_message(text: str, statement: str | None = None) -> str:
    """An engine error with the data it quotes masked, and the SQL (``statement``'s identifiers and
    literals, DuckDB's ``LINE n:`` excerpt) left as it is.

    Echoed CSV lines are always masked; for errors about data, quoted text that is not in the
    statement, lines repeating it, and the row-built part of a user-raised ``error(...)`` are too.
    """
    text = _CSV_LINE.sub(rf"\1 {MASK}", text)
    if not any(kind in text for kind in _DATA_ERRORS):
        return text
    sql = statement or ""
    body, context = _split(text)
    values: set[str] = set()

    def quoted(match: re.Match[str]) -> str:
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        if inner and inner in sql:
            return match.group(0)
        values.add(inner.strip())
        return MASK

    body = _QUOTED.sub(quoted, body)
    body = "\n".join(MASK if line.strip() and line.strip() in values else line for line in body.split("\n"))
    if _USER_ERROR.search(sql):
        body = _keep_literals(body, sql)
    return body + context


def _split(text: str) -> tuple[str, str]:
    """(the error, DuckDB's excerpt of the statement or "")."""
    parts = _CONTEXT.split(text, maxsplit=1)
    return parts[0], ("\n" + parts[1]) if len(parts) > 1 else ""


def _keep_literals(body: str, sql: str) -> str:
    """A message ``error('bad row ' || email)`` raised: each line after its error kind keeps the
    statement's own string literals and masks what lies between them."""
    literals = sorted(
        {m.group(1).replace("''", "'") for m in _QUOTED.finditer(sql) if m.group(1) and m.group(1).strip()},
        key=len,
        reverse=True,
    )
    pattern = re.compile("|".join(re.escape(lit) for lit in literals)) if literals else None
    head = _KIND.match(body)
    start = head.end() if head else 0
    out, last = [body[:start]], start
    for match in pattern.finditer(body, start) if pattern else ():
        out += [_WORD.sub(MASK, body[last : match.start()]), match.group(0)]
        last = match.end()
    out.append(_WORD.sub(MASK, body[last:]))
    return "".join(out)
