"""Build dbt projects with the real dbt (dbt-core + dbt-duckdb), in one process for all of them.

``python dbt_driver.py steps.json``: each step is ``{"project": dir, "apply": dir or null,
"database": file, "snapshot": file}``: copy ``apply`` over the project, ``dbt build`` it, copy its
DuckDB file to ``snapshot``. Prints one JSON line: ``{"<snapshot>": true|false, ...}``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path


def main(steps_file: str) -> None:
    from dbt.cli.main import dbtRunner

    runner = dbtRunner()
    results = {}
    for step in json.loads(Path(steps_file).read_text()):
        project = Path(step["project"])
        if step["apply"]:
            shutil.copytree(step["apply"], project, dirs_exist_ok=True)
        os.chdir(project)  # dbt-duckdb resolves relative paths against the working folder
        outcome = runner.invoke(["build", "--profiles-dir", ".", "--project-dir", ".", "--quiet"])
        results[step["snapshot"]] = bool(outcome.success)
        _close_database()
        if outcome.success:
            shutil.copy(project / step["database"], step["snapshot"])
    print(json.dumps(results))


def _close_database() -> None:
    """dbt-duckdb keeps its database open across invocations: close it so the file is complete."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        if manager._ENV is not None:
            manager._ENV.close()
            manager._ENV = None


if __name__ == "__main__":
    main(sys.argv[1])
