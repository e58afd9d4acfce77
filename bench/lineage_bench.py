"""Benchmark: column lineage of every column of every node of a generated project, timed apart from compile.

Targets (issue 5): 1,000 nodes, full column lineage (one hop per node, plus the JSON document of
all of it) in under 3 s and under 500 MB peak on a 2-core machine. Also times an impact query
(``--downstream`` of one source column) and the whole ``odibi-sql lineage --format json`` command.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_project import generate  # noqa: E402
from measure import measure  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from odibi_sql.compile.workspace import Selection, compile_selected, open_project
from odibi_sql.lineage.build import build_lineage
from odibi_sql.lineage.compose import downstream, whole_project
from odibi_sql.lineage.formats.json import to_document

start = time.perf_counter()
compiled, _ = compile_selected(open_project(Path(sys.argv[1])), (), Selection())
compiled_at = time.perf_counter()
graph = build_lineage(compiled)
hops_at = time.perf_counter()
text = json.dumps(to_document(whole_project(graph), "bench", "dev"))
document_at = time.perf_counter()
impact = downstream(graph, "bronze_0", "amount")
impact_at = time.perf_counter()
print(json.dumps({
    "compile": compiled_at - start,
    "hops": hops_at - compiled_at,
    "document": document_at - hops_at,
    "impact": impact_at - document_at,
    "columns": sum(len(r.columns) for r in graph.nodes.values()),
    "edges": sum(len(i) for r in graph.nodes.values() for i in r.columns.values()),
    "json_mb": len(text) / 1e6,
    "impacted": len(impact.composed),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    print(
        f"{'nodes':>6} {'columns':>8} {'compile s':>10} {'hops s':>7} {'json s':>7} {'lineage s':>10} "
        f"{'impact s':>9} {'peak MB':>8} {'cli wall s':>11}  target"
    )
    for n in args.sizes:
        project = generate(OUT / f"lineage_{n}", n)
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(project)], capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(proc.stderr)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        lineage = r["hops"] + r["document"]
        cli = measure("lineage", "--project-dir", str(project), "--format", "json")
        ok = "ok" if lineage < 3 and r["peak_mb"] < 500 else "MISSED (<3 s, <500 MB)"
        print(
            f"{n:>6} {r['columns']:>8} {r['compile']:>10.2f} {r['hops']:>7.2f} {r['document']:>7.2f} "
            f"{lineage:>10.2f} {r['impact']:>9.2f} {r['peak_mb']:>8.0f} {cli['wall_seconds']:>11.2f}  {ok}"
        )


if __name__ == "__main__":
    main()
