"""Run planned nodes on an engine: DAG order over N threads, one transaction per node, retries on
transient errors only, descendants of a failure skipped."""

from __future__ import annotations

import dataclasses
import functools
import heapq
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

from odibi_sql.adapters.base import Adapter, EngineError, Session, read_states, stored_rows
from odibi_sql.compile.compiler import CompiledNode, CompiledProject
from odibi_sql.execute.interrupt import Stop
from odibi_sql.execute.results import NodeResult, Status, now
from odibi_sql.plan import statements as sql
from odibi_sql.plan import watermark
from odibi_sql.plan.batches import bootstrap
from odibi_sql.plan.errors import PlanError
from odibi_sql.plan.materializations import PlanContext
from odibi_sql.plan.planner import plan_node
from odibi_sql.plan.quarantine import Quarantine, quarantine_table
from odibi_sql.plan.state import TargetState, Watermark
from odibi_sql.plan.steps import CheckStep, CountStep, ExecuteStep, NodePlan, SkipIfStep
from odibi_sql.project.config import Target
from odibi_sql.project.node_spec import Materialized
from odibi_sql.testing.masking import MASK, format_values, mask_message, sensitive_columns
from odibi_sql.testing.results import DataTestResult

PostBuild = Callable[[CompiledNode, Session, NodeResult], None]
"""Runs inside a node's transaction after its plan (quarantine, tests); raising ``NodeFailure``
fails the node and rolls everything back."""


class RunReporter(Protocol):
    """Where the runner reports progress (the CLI renders it; tests capture it)."""

    def node_started(self, index: int, total: int, node: CompiledNode) -> None: ...
    def node_finished(self, index: int, total: int, result: NodeResult) -> None: ...
    def deferred_tests_finished(self, results: list[DataTestResult]) -> None: ...


class NullReporter:
    def node_started(self, index: int, total: int, node: CompiledNode) -> None:
        pass

    def node_finished(self, index: int, total: int, result: NodeResult) -> None:
        pass

    def deferred_tests_finished(self, results: list[DataTestResult]) -> None:
        pass


@dataclass(frozen=True)
class RunOptions:
    threads: int = 1
    full_refresh: bool = False
    retries: int = 2
    """Runs of a node after a transient engine error (``retry.max_retries``)."""
    backoff_seconds: float = 0.5
    """Wait before the first retry, doubled before each next one (``retry.backoff_seconds``)."""

    @classmethod
    def for_target(cls, target: Target, threads: int | None, full_refresh: bool) -> RunOptions:
        """The options of a run on ``target``: ``threads`` from the command line, else the target's;
        retries from the target's ``retry:``."""
        return cls(
            threads=threads or target.threads,
            full_refresh=full_refresh,
            retries=target.retry.max_retries,
            backoff_seconds=target.retry.backoff_seconds,
        )


class NodeFailure(Exception):
    def __init__(self, message: str, statement: str | None = None):
        self.message, self.statement = message, statement
        super().__init__(message)


@dataclass
class _Schedule:
    """Which node may start next: one whose parents are all done, earliest in run order first."""

    names: list[str]
    parents: dict[str, set[str]]
    done: dict[str, NodeResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._position = {name: i for i, name in enumerate(self.names)}
        self._waiting = {name: len(self.parents[name]) for name in self.names}
        self._children: dict[str, list[str]] = {name: [] for name in self.names}
        for name in self.names:
            for parent in self.parents[name]:
                self._children[parent].append(name)
        self._ready = [i for i, name in enumerate(self.names) if not self._waiting[name]]  # a heap

    def next_ready(self) -> str | None:
        return self.names[heapq.heappop(self._ready)] if self._ready else None

    def finish(self, name: str, result: NodeResult) -> None:
        self.done[name] = result
        for child in self._children[name]:
            self._waiting[child] -= 1
            if not self._waiting[child]:
                heapq.heappush(self._ready, self._position[child])


def run_nodes(
    compiled: CompiledProject,
    names: Sequence[str],
    adapter: Adapter,
    options: RunOptions,
    reporter: RunReporter | None = None,
    hook: Callable[[CompiledNode, Session], NodeResult | None] | None = None,
    post_build: PostBuild | None = None,
    waits_for: Mapping[str, set[str]] | None = None,
    stop: Stop | None = None,
    on_result: Callable[[NodeResult], None] | None = None,
    quarantines: Mapping[str, Quarantine] | None = None,
) -> list[NodeResult]:
    """Materialize ``names`` (ephemerals are skipped) in DAG order; returns one result per node.

    ``waits_for`` adds ordering-only dependencies (e.g. the node a relationships test reads).
    Once ``stop`` is set no node starts; running statements are cancelled where the session can
    (``interrupt``), and the nodes not reached are skipped. ``on_result`` gets each final result
    before the reporter does (the run journal). ``quarantines`` holds the quarantine tests of the
    nodes that have some.
    """
    reporter = reporter or NullReporter()
    stop = Stop() if stop is None else stop
    runnable = [n for n in names if compiled.nodes[n].materialized is not Materialized.EPHEMERAL]
    selected = set(runnable)
    schedule = _Schedule(
        runnable,
        {
            n: (_materialized_parents(compiled, n) | (waits_for or {}).get(n, set())) & selected
            for n in runnable
        },
    )
    ctx = PlanContext(adapter.capabilities, full_refresh=options.full_refresh)
    local = threading.local()
    sessions: list[Session] = []
    lock = threading.Lock()

    def session() -> Session:
        if not hasattr(local, "session"):
            local.session = adapter.session()
            with lock:
                sessions.append(local.session)
        return local.session

    def cancel() -> None:
        for s in list(sessions):
            interrupt = getattr(s, "interrupt", None)
            if interrupt is not None:
                interrupt()

    def finish(name: str, result: NodeResult) -> None:
        schedule.finish(name, result)
        if on_result is not None:
            on_result(result)
        reporter.node_finished(index[name], total, result)

    setup = session()
    for statement in bootstrap():
        setup.execute(statement)
    for schema in sorted({compiled.nodes[n].relation[0] for n in runnable}):
        setup.execute(sql.create_schema(schema))  # up front: concurrent CREATE SCHEMA conflicts
    states = _initial_states(compiled, runnable, setup)
    stop.on_signal(cancel)

    total = len(runnable)
    index = {name: i + 1 for i, name in enumerate(runnable)}
    sensitive = {name: sensitive_columns(compiled, name) for name in runnable}  # traces lineage once

    def work(name: str) -> NodeResult:
        node = compiled.nodes[name]
        reporter.node_started(index[name], total, node)
        if hook is not None:
            result = hook(node, session())
            if result is not None:
                return result
        return run_node(
            node,
            session(),
            ctx,
            options,
            sensitive[name],
            post_build,
            states.get(name),
            (quarantines or {}).get(name),
        )

    try:
        pool_size = max(1, options.threads)
        with ThreadPoolExecutor(max_workers=pool_size) as pool:
            running: dict[Future, str] = {}
            while True:
                # no more nodes handed to the pool than it runs at once: a stop holds the rest back
                while not stop and len(running) < pool_size and (name := schedule.next_ready()) is not None:
                    parents = schedule.parents[name]
                    failed = sorted(p for p in parents if schedule.done[p].status is not Status.SUCCESS)
                    if failed:
                        finish(
                            name,
                            _skipped(compiled.nodes[name], f"upstream {', '.join(failed)} did not succeed"),
                        )
                        continue
                    running[pool.submit(work, name)] = name
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    name = running.pop(future)
                    finish(name, future.result())
            for name in (n for n in runnable if n not in schedule.done):  # a stop held them back
                finish(
                    name,
                    _skipped(compiled.nodes[name], f"not run: the run was stopped by {stop.signal_name}"),
                )
    finally:
        for s in sessions:
            s.close()
    return [schedule.done[n] for n in runnable]


def _initial_states(compiled: CompiledProject, names: list[str], session: Session) -> dict[str, TargetState]:
    """Each node's target state, read up front in one catalog query: a target only one node of the
    run writes changes only when that node runs (a target shared by nodes is read at its turn)."""
    relations = Counter(compiled.nodes[n].relation for n in names)
    owned = {n: compiled.nodes[n].relation for n in names if relations[compiled.nodes[n].relation] == 1}
    states = read_states(session, set(owned.values()))
    return {name: states[relation] for name, relation in owned.items()}


def _materialized_parents(compiled: CompiledProject, name: str) -> set[str]:
    """Parents to wait for, looking through ephemerals (which run inside their consumers)."""
    out: set[str] = set()
    for parent in compiled.dag.parents[name]:
        node = compiled.nodes.get(parent)
        if node is not None and node.materialized is Materialized.EPHEMERAL:
            out |= _materialized_parents(compiled, parent)
        else:
            out.add(parent)
    return out


def _skipped(node: CompiledNode, message: str) -> NodeResult:
    return NodeResult(
        node=node.name,
        status=Status.SKIPPED,
        materialized=node.materialized.value,
        message=message,
        started_at=now(),
    )


def run_node(
    node: CompiledNode,
    session: Session,
    ctx: PlanContext,
    options: RunOptions,
    sensitive: frozenset[str] = frozenset(),
    post_build: PostBuild | None = None,
    state: TargetState | None = None,
    quarantine: Quarantine | None = None,
) -> NodeResult:
    """Plan and run one node in one transaction; a failure rolls back and leaves the target as it was.

    Values of ``sensitive`` columns are masked in every message and sample the result carries.
    ``state`` is the target's state if already known (a retry reads it again). ``quarantine``:
    the node's quarantine tests (the quarantine table's state is read here).
    """
    started, clock = now(), time.perf_counter()
    result = NodeResult(
        node=node.name,
        status=Status.ERROR,
        materialized=node.materialized.value,
        started_at=started,
        compiled_checksum=node.compiled_checksum,
    )
    attempt = 0
    while True:
        attempt += 1
        result.attempts = attempt
        result.statements, result.tests = [], []
        try:
            if state is None or attempt > 1:
                state = session.state(*node.relation)
            state = with_watermark(node, state, session)
            if quarantine is not None:
                jail = quarantine_table(*node.relation)
                quarantine = dataclasses.replace(quarantine, state=session.state(jail.db, jail.name))
            plan = plan_node(node, state, ctx, quarantine)
            result.reason, result.warnings = plan.reason.value, list(plan.warnings)
            if state.watermark is not None:
                result.watermark_before = state.watermark.value
            elif plan.watermark is not None and state.exists and state.kind == "table":
                result.watermark_before = _scalar(session.query(plan.watermark))
            after = functools.partial(post_build, node, session, result) if post_build else None
            _execute_plan(plan, session, ctx, result, sensitive, after)
            if plan.watermark is not None:
                result.watermark_after = _scalar(session.query(plan.watermark))
            if (node.definition.spec.write.hwm_column or "").lower() in sensitive:
                result.watermark_before = result.watermark_after = MASK
            if node.materialized is not Materialized.VIEW:
                result.rows_after = stored_rows(session, node.relation)
                if result.rows_after is None:
                    result.rows_after = _scalar(session.query(sql.row_count(node.table())))
            result.status = Status.SUCCESS
            break
        except PlanError as exc:
            result.message = exc.format()
            break
        except NodeFailure as exc:
            result.message = exc.message
            if exc.statement:
                result.statements.append(exc.statement)
            break
        except EngineError as exc:
            message = mask_message(exc.message, exc.statement) if sensitive else exc.message
            result.message = f"{message}\n  statement: {_shorten(exc.statement)}"
            if exc.transient and attempt <= options.retries:
                time.sleep(options.backoff_seconds * 2 ** (attempt - 1))
                continue
            if exc.transient:
                result.message += (
                    f"\n  a transient error: tried {attempt} times (retry.max_retries of the target is "
                    f"{options.retries})"
                )
            break
    if result.status is Status.ERROR:
        result.message = f"{result.message}\n  the target {'.'.join(node.relation)} was left as it was."
    result.seconds = round(time.perf_counter() - clock, 4)
    return result


def with_watermark(node: CompiledNode, state: TargetState, session: Session) -> TargetState:
    """``state`` with the target's current watermark, for an incremental node with ``hwm_column``
    whose table exists (the planner puts it in the incremental query as a literal)."""
    column = node.definition.spec.write.hwm_column
    if (
        node.materialized is not Materialized.INCREMENTAL
        or column is None
        or column not in state.columns
        or state.kind != "table"
    ):
        return state
    value, text = session.query(watermark.read_query(node.table(), column))[0]
    return dataclasses.replace(state, watermark=Watermark(value, None if text is None else str(text)))


def _execute_plan(
    plan: NodePlan,
    session: Session,
    ctx: PlanContext,
    result: NodeResult,
    sensitive: frozenset[str] = frozenset(),
    after_steps: Callable[[], None] | None = None,
) -> None:
    transactional = ctx.capabilities.supports_transactions
    if transactional:
        session.begin()
    try:
        for step in plan.steps:
            if isinstance(step, ExecuteStep):
                result.statements.append(session.render(step.statement))
                rows = session.execute(step.statement)
                if step.counts_rows:
                    result.rows_affected = rows
                if step.counts_rejected:
                    result.rows_rejected = rows
            elif isinstance(step, CheckStep):
                sample = session.query(step.query)
                if sample:
                    names = step.query.named_selects
                    shown = "; ".join(format_values(names, row, sensitive) for row in sample)
                    raise NodeFailure(
                        f"{step.message}: e.g. {shown}" + (f"\n  to fix: {step.hint}" if step.hint else ""),
                        session.render(step.query),
                    )
            elif isinstance(step, CountStep):
                result.rows_rejected = int(_scalar(session.query(step.query)) or 0)
            elif isinstance(step, SkipIfStep) and _scalar(session.query(step.query)):
                result.rows_affected = 0
                result.warnings.append(step.message)
                break
        if after_steps is not None:
            after_steps()
        if transactional:
            session.commit()
    except BaseException:
        if transactional:
            session.rollback()
        raise


def _scalar(rows: list[tuple]) -> object:
    return rows[0][0] if rows and rows[0] else None


def _shorten(statement: str, limit: int = 400) -> str:
    return statement if len(statement) <= limit else statement[:limit] + " ..."
