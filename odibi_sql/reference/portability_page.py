"""docs/reference/spark-portability.md: what a Spark target may run, from the portability registry."""

from __future__ import annotations

from odibi_sql.dialect import portability
from odibi_sql.reference.markdown import GENERATED, table

PATH = "reference/spark-portability.md"

_TITLES = {
    "functions": "Functions",
    "operators": "Operators",
    "casts": "Casts",
    "try_casts": "TRY_CAST",
    "literals": "Literals",
    "clauses": "Clauses",
}


def _code(text: str) -> str:
    return f"`{text}`"


def render() -> str:
    registry = portability.registry("spark")
    assert registry is not None
    allowed = {k: e for k, e in registry.entries.items() if not e.refuse}
    refused = {k: e for k, e in registry.entries.items() if e.refuse}
    out = [
        GENERATED,
        "",
        "# Spark portability",
        "",
        "Every construct a node compiled for Spark may contain, from `dialects/portability/spark.yaml`. "
        "Each allowed one is proven to give DuckDB's values and type class on both engines by the "
        "differential cases shown (run over typed edge inputs by `tests/spark/test_differential.py`); "
        "anything not listed here is refused when compiling for Spark (see [Running on Spark](../spark.md)).",
        "",
        f"{len(allowed)} constructs allowed, {len(refused)} refused with a reason.",
    ]
    for section, kind in portability.SECTIONS.items():
        rows = []
        for key, entry in allowed.items():
            if key.split(":", 1)[0] != kind:
                continue
            name = key.split(":", 1)[1]
            note = " ".join(filter(None, [entry.warn and f"warning: {entry.warn}", entry.note]))
            rows.append([_code(name), entry.lowering, "<br>".join(_code(c) for c in entry.cases), note])
        if rows:
            out += [
                "",
                f"## {_TITLES[section]}",
                "",
                table(["construct", "lowering", "proven by", "note"], rows),
            ]
    rows = [
        [_code(key.split(":", 1)[1]), key.split(":", 1)[0], entry.refuse or "", entry.rewrite or ""]
        for key, entry in refused.items()
    ]
    out += ["", "## Refused", "", table(["construct", "kind", "why", "write instead"], rows), ""]
    return "\n".join(out)
