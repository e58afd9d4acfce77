"""Collect everything the report shows: compiled nodes, lineage, tests, the last run, drift, null counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.execute.results import NodeResult, RunResults, Status, read_latest, read_run_results
from odibi_sql.lineage.build import build_lineage
from odibi_sql.lineage.formats.diagram import edge_label
from odibi_sql.lineage.graph import Inputs, NodeLineage
from odibi_sql.report.drift import History, node_drift, read_history
from odibi_sql.report.highlight import highlight_sql
from odibi_sql.report.model import (
    ColumnReport,
    LineageInput,
    NodeReport,
    Report,
    RunReport,
    RunSummary,
    TestReport,
)
from odibi_sql.report.profile import Profile, profile_nodes
from odibi_sql.testing.compile import DataTest, compile_tests
from odibi_sql.testing.masking import sensitive_columns
from odibi_sql.testing.results import DataTestResult


def build_report(compiled: CompiledProject, names: Sequence[str]) -> Report:
    """The report of ``names`` (compiled for the target's dialect), reading the last run's artifacts
    and the built relations (row and null counts)."""
    project = compiled.project
    last = read_run_results(project.root / "target")
    if last is not None and last.target != project.target_name:
        last = None  # the last run was on another target: its statuses say nothing about this one
    collector = _Collector(compiled, names, last, profile_nodes(compiled, names))
    return Report(
        project=project.config.name,
        target=project.target_name,
        dialect=project.target.dialect,
        env=project.env,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        run=_run_summary(last) if last else None,
        nodes=[collector.node(name) for name in compiled.dag.order if name in collector.shown],
        layers=compiled.dag.layers(names),
        edges=sorted((p, n) for n in names for p in compiled.dag.parents.get(n, ()) if p in collector.shown),
    )


def _run_summary(run: RunResults) -> RunSummary:
    seconds = (
        datetime.fromisoformat(run.finished_at) - datetime.fromisoformat(run.started_at)
    ).total_seconds()
    return RunSummary(run.command, run.started_at, run.finished_at, round(seconds, 2), run.tests_finished_at)


class _Collector:
    """Everything read once for the whole report, then one ``NodeReport`` per node."""

    def __init__(
        self,
        compiled: CompiledProject,
        names: Sequence[str],
        last: RunResults | None,
        profiles: dict[str, Profile],
    ):
        self.compiled = compiled
        self.shown = set(names)
        self.dialect = compiled.project.target.dialect
        self.last = last
        latest = read_latest(compiled.project.root / "target", compiled.project.target_name)
        if latest is not None:  # each node's latest result, from whichever command
            self.results, self.test_results = latest.nodes, latest.tests
            self.run_started_at = latest.run_started_at
        else:
            self.results = {r.node: r for r in last.results} if last else {}
            self.test_results = {t.name: t for t in last.tests} if last else {}
            self.run_started_at = dict.fromkeys(self.results, last.started_at) if last else {}
        self.history: History = read_history(compiled.project.root / "target")
        self.lineage = build_lineage(compiled, list(names))
        self.tests = compile_tests(compiled, names)
        self.profiles = profiles

    def node(self, name: str) -> NodeReport:
        node = self.compiled.nodes[name]
        definition = node.definition
        lineage = self.lineage.nodes.get(name)
        result = self.results.get(name)
        profile = self.profiles[name]
        incremental = node.incremental_sql.get(self.dialect)
        dag = self.compiled.dag
        return NodeReport(
            name=name,
            pipeline=definition.pipeline,
            resource_type=definition.resource_type,
            description=definition.spec.description,
            tags=list(definition.tags),
            materialized=node.materialized.value,
            write_mode=node.write_mode.value,
            write_details=_write_details(node),
            relation=".".join(node.relation),
            file=definition.sql_file or definition.file,
            parents=sorted(dag.parents.get(name, frozenset()) & self.shown),
            children=sorted(dag.children.get(name, frozenset()) & self.shown),
            sql=highlight_sql(node.sql[self.dialect], self.dialect),
            incremental_sql=highlight_sql(incremental, self.dialect) if incremental else None,
            columns=_columns(node, lineage, profile, sensitive_columns(self.compiled, name)),
            row_inputs=_inputs(lineage.dataset) if lineage else [],
            lineage_issues=[f"{i.message} (to fix: {i.hint})" for i in lineage.issues] if lineage else [],
            tests=[_test_report(t, self.test_results.get(t.name)) for t in self.tests.get(name, [])],
            run=_run_report(result) if result else None,
            drift=node_drift(node, result, self.run_started_at[name], self.history)
            if result and name in self.run_started_at
            else None,
            rows=profile.rows,
            profile_note=profile.note,
        )


def _write_details(node: CompiledNode) -> dict[str, str]:
    spec = node.definition.spec
    if spec.read is not None:
        read = spec.read
        if node.definition.resource_type == "seed":
            return {"seed file": read.path or node.name}
        details = {"reads": f"{read.connection}: {read.path or read.table} ({read.format})"}
        if read.on_error != "fail":
            details["on error"] = read.on_error
        return details
    write = spec.write
    details = {"mode": node.write_mode.value}
    if node.write_mode.value == "merge":
        details["strategy"] = write.strategy.value
    for label, values in (
        ("unique key", write.unique_key),
        ("partition by", write.partition_by),
        ("cluster by", write.cluster_by),
    ):
        if values:
            details[label] = ", ".join(values)
    if write.hwm_column:
        details["high-water mark"] = write.hwm_column
    if write.audit_columns:
        details["audit columns"] = "created_at, updated_at"
    return details


def _columns(
    node: CompiledNode, lineage: NodeLineage | None, profile: Profile, sensitive: frozenset[str]
) -> list[ColumnReport]:
    declared = node.definition.spec.columns
    names = list(dict.fromkeys([*node.columns, *profile.types]))
    nulls = profile.nulls
    return [
        ColumnReport(
            name=name,
            type=profile.types.get(name) or node.columns.get(name),
            description=declared[name].description if name in declared else None,
            sensitive=name.lower() in sensitive,
            null_percent=100.0 * nulls[name] / profile.rows if profile.rows and name in nulls else None,
            inputs=_inputs(lineage.columns.get(name, {})) if lineage else [],
            only_in_table=name not in node.columns,
        )
        for name in names
    ]


def _inputs(inputs: Inputs) -> list[LineageInput]:
    return sorted(
        (
            LineageInput(
                node=ref.node,
                relation=ref.relation,
                column=ref.column,
                transformations=edge_label(kinds),
                direct=any(k.is_direct for k in kinds),
            )
            for ref, kinds in inputs.items()
        ),
        key=lambda i: (i.node or "", i.relation, i.column),
    )


def _test_report(test: DataTest, result: DataTestResult | None) -> TestReport:
    if result is None:
        return TestReport(test.name, test.kind, test.column, test.severity.value, "not-run")
    return TestReport(
        name=test.name,
        kind=test.kind,
        column=test.column,
        severity=result.severity,
        status=result.status.value,
        failures=result.failures,
        sample=list(result.sample),
        message=result.message,
        sql=result.sql,
    )


def _run_report(result: NodeResult) -> RunReport:
    """What the last run did; a node that did not succeed wrote nothing (it was rolled back)."""
    wrote = result.status is Status.SUCCESS
    return RunReport(
        status=result.status.value,
        reason=result.reason,
        seconds=result.seconds,
        started_at=result.started_at,
        rows_affected=result.rows_affected if wrote else None,
        rows_after=result.rows_after if wrote else None,
        rows_rejected=result.rows_rejected if wrote else None,
        rows_quarantined=result.rows_quarantined if wrote else None,
        watermark_before=result.watermark_before,
        watermark_after=result.watermark_after,
        attempts=result.attempts,
        message=result.message,
        warnings=list(result.warnings),
    )
