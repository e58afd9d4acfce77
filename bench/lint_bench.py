"""Benchmark: `odibi-sql lint` on generated projects, and sqlfluff on the same compiled SQL.

Target (issue 6): 1,000 nodes linted in under 5 s on a 2-core machine. The sqlfluff comparison
(`sqlfluff lint --dialect duckdb` over target/compiled/duckdb of the same project) runs only when
sqlfluff is installed (`pip install sqlfluff`; it is not a dependency of odibi-sql).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_project import generate  # noqa: E402
from measure import measure  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--dialect", action="append", help="also check portability (e.g. spark)")
    parser.add_argument("--no-sqlfluff", action="store_true", help="skip the sqlfluff comparison")
    args = parser.parse_args()
    dialect_args = [a for d in args.dialect or [] for a in ("--dialect", d)]
    print(
        f"{'nodes':>6} {'wall s':>8} {'lint s':>8} {'peak MB':>8}  target    sqlfluff s (same compiled SQL)"
    )
    for n in args.sizes:
        project = generate(OUT / f"lint_{n}", n)
        result = measure("lint", "--project-dir", str(project), "--format", "json", *dialect_args)
        ok = "ok" if result["wall_seconds"] < 5 else "MISSED (<5 s)"
        fluff = "skipped" if args.no_sqlfluff else _sqlfluff(project)
        print(
            f"{n:>6} {result['wall_seconds']:>8.2f} {result['seconds']:>8.2f} {result['peak_mb']:>8.0f}  "
            f"{ok:<9} {fluff}"
        )


def _sqlfluff(project: Path) -> str:
    if importlib.util.find_spec("sqlfluff") is None or shutil.which("sqlfluff") is None:
        return "skipped: sqlfluff is not installed (pip install sqlfluff)"
    compiled = subprocess.run(
        [sys.executable, "-m", "odibi_sql", "compile", "--project-dir", str(project)],
        capture_output=True,
        text=True,
    )
    folder = project / "target" / "compiled" / "duckdb"
    if compiled.returncode != 0 or not folder.is_dir():
        return f"skipped: compile failed\n{compiled.stderr}"
    files = len(list(folder.rglob("*.sql")))
    start = time.perf_counter()
    subprocess.run(
        [
            "sqlfluff",
            "lint",
            "--dialect",
            "duckdb",
            "--processes",
            "2",
            "--nofail",
            "--format",
            "none",
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    return f"{time.perf_counter() - start:.2f} ({files} files, 2 processes)"


if __name__ == "__main__":
    main()
