"""The portability registry's proof: every case of every allowed entry of
``dialects/portability/spark.yaml`` gives the same values and type classes on DuckDB and Spark over
typed edge inputs (``differential.py``). An entry without a passing case fails the suite.

Expression cases over the same inputs run as one SELECT per engine (a batch whose DuckDB query
raises is split by the rows DuckDB accepts; a batch whose Spark query raises is split by case);
query cases run one by one. Spark queries run concurrently on the shared session.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from odibi_sql.dialect import constructs, portability, to_sql
from tests.spark import differential as d

pytestmark = pytest.mark.spark

CASES = d.registry_cases()


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300]


def _own_problems(case: d.Case, tree) -> list[str]:
    """A case proves its entry only if it uses it and uses nothing the registry refuses."""
    registry = portability.registry("spark")
    problems = [r.message for r in portability.check(tree, "spark") if not r.warning]
    proves = {found[0] for key, _ in constructs.walk(tree) if (found := registry.find(key))}
    if case.entry not in proves:
        problems.append(f"the case does not contain {case.entry} (it has {sorted(proves)})")
    return problems


def _rows_duckdb_accepts(con, case: d.Case, tree) -> list[int]:
    """The input rows on which DuckDB evaluates the expression case without raising."""
    good = []
    for row in range(len(d.edge_rows(case.inputs))):
        try:
            con.sql(to_sql(d.batch_query([tree], [row]), "duckdb")).fetchall()
            good.append(row)
        except Exception:
            continue
    return good


@pytest.fixture(scope="module")
def outcomes(spark) -> dict[str, d.Outcome]:
    return evaluate(spark)


def evaluate(spark) -> dict[str, d.Outcome]:
    """Run every case on both engines; ``{case id: Outcome}``."""
    con = d.duckdb_connection()
    results = {c.id: d.Outcome(c) for c in CASES}
    trees = {}
    for case in CASES:
        try:
            trees[case.id] = d.compile_case(case)
        except Exception as error:
            results[case.id].problems.append(f"does not compile: {_first_line(error)}")
            continue
        results[case.id].problems += _own_problems(case, trees[case.id])
    d.create_views(con, spark, {c.inputs for c in CASES})
    jobs: list[tuple[list[d.Case], list[int] | None]] = []  # (cases, input rows) run together on Spark
    batches: dict[tuple, list[d.Case]] = defaultdict(list)
    for case in (c for c in CASES if c.id in trees):
        if not case.is_query:
            batches[case.inputs].append(case)
            continue
        try:
            results[case.id].duckdb = d.duckdb_result(con, to_sql(trees[case.id], "duckdb"))
            jobs.append(([case], None))
        except Exception as error:
            results[case.id].problems.append(f"DuckDB fails on the edge inputs: {_first_line(error)}")
    for cases in batches.values():
        try:
            con.sql(to_sql(d.batch_query([trees[c.id] for c in cases]), "duckdb")).fetchall()
            rows_of = {c.id: None for c in cases}
        except Exception:
            rows_of = {c.id: tuple(_rows_duckdb_accepts(con, c, trees[c.id])) for c in cases}
        for rows in dict.fromkeys(rows_of.values()):
            members = [c for c in cases if rows_of[c.id] == rows]
            wanted = None if rows is None else list(rows)
            kinds, values = d.duckdb_result(
                con, to_sql(d.batch_query([trees[c.id] for c in members], wanted), "duckdb")
            )
            for i, case in enumerate(members, start=1):
                results[case.id].duckdb = ([kinds[i]], [(r[0], r[i]) for r in values])
                results[case.id].spark_sql = to_sql(d.batch_query([trees[case.id]], wanted), "spark")
            jobs.append((members, wanted))
    con.close()

    def spark_sql(job) -> str:
        members, rows = job
        if members[0].is_query:
            return to_sql(trees[members[0].id], "spark")
        return to_sql(d.batch_query([trees[c.id] for c in members], rows), "spark")

    def run(job):
        try:
            return job, d.spark_result(spark, spark_sql(job)), None
        except Exception as error:
            return job, None, _first_line(error)

    pending = jobs
    while pending:
        with ThreadPoolExecutor(max_workers=4) as pool:
            done = list(pool.map(run, pending))
        pending = []
        for (members, rows), result, error in done:
            if error is not None and len(members) > 1:
                pending += [([c], rows) for c in members]  # find the case that raises
                continue
            for i, case in enumerate(members, start=1):
                outcome = results[case.id]
                if case.is_query:
                    outcome.spark_sql = spark_sql((members, rows))
                    outcome.spark = error or result
                else:
                    outcome.spark = error or ([result[0][i]], [(r[0], r[i]) for r in result[1]])
    for case in CASES:
        outcome = results[case.id]
        if outcome.duckdb is not None and outcome.spark is not None and not outcome.problems:
            ordered = case.is_query and d.is_ordered(trees[case.id])
            _compare(outcome, ordered)
    return results


def _compare(outcome: d.Outcome, ordered: bool) -> None:
    if isinstance(outcome.spark, str):
        outcome.problems.append(
            f"Spark fails where DuckDB returns values: {outcome.spark}\n  Spark SQL: {outcome.spark_sql}"
        )
        return
    duck, spark = d.normalized(outcome.duckdb, ordered), d.normalized(outcome.spark, ordered)
    outcome.duckdb, outcome.spark = duck, spark
    outcome.pairs = len(duck[1])
    if duck[0] != spark[0]:
        outcome.problems.append(f"type class: DuckDB {duck[0]}, Spark {spark[0]}")
    if duck[1] != spark[1]:
        diffs = [(a, b) for a, b in zip(duck[1], spark[1], strict=False) if a != b][:5]
        outcome.problems.append(
            f"values differ ({len(duck[1])} vs {len(spark[1])} rows), first: {diffs}\n"
            f"  Spark SQL: {outcome.spark_sql}"
        )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_same_on_duckdb_and_spark(outcomes, case: d.Case):
    outcome = outcomes[case.id]
    assert not outcome.problems, "\n".join(outcome.problems)
    assert outcome.equal


def test_every_allowed_entry_has_a_passing_case(outcomes):
    registry = portability.registry("spark")
    proven = defaultdict(list)
    for outcome in outcomes.values():
        proven[outcome.case.entry].append(outcome.equal)
    missing = [name for name, entry in registry.entries.items() if not entry.refuse and not proven[name]]
    failing = [name for name, flags in proven.items() if not all(flags)]
    pairs = sum(o.pairs for o in outcomes.values() if o.equal)
    print(
        f"\ndifferential: {len(registry.entries)} registry entries, {len(outcomes)} cases, "
        f"{pairs} (construct x edge input) pairs equal on DuckDB and Spark"
    )
    assert not missing, f"entries without a differential case: {missing}"
    assert not failing, f"entries with a failing case: {failing}"
