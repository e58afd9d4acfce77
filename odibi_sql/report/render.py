"""Render a ``Report`` with the package's Jinja templates into one self-contained HTML file."""

from __future__ import annotations

import functools
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from odibi_sql import __version__
from odibi_sql.diagnostics import writing
from odibi_sql.report.model import NodeState, Report
from odibi_sql.report.svg import dag_svg


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("odibi_sql.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(thousands=_thousands, percent=_percent, seconds=_seconds, moment=_moment, value=_value)
    return env


def render_report(report: Report) -> str:
    """The report as HTML: styles, script and the DAG's SVG inline; nothing is loaded from elsewhere."""
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            dag=dag_svg(report.nodes, report.layers, report.edges),
            states=list(NodeState),
            version=__version__,
        )
    )


def write_report(report: Report, path: Path) -> Path:
    """Write the HTML atomically (a reader never sees half a report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with writing(path):
        tmp.write_text(render_report(report), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _thousands(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    if 0 < value < 0.1:
        return "<0.1%"
    return f"{value:.1f}%"


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _moment(value: str | None) -> str:
    """An ISO timestamp as ``2024-05-01 10:46:37 UTC``."""
    if not value:
        return "–"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = moment.tzname() or ""
    return moment.strftime("%Y-%m-%d %H:%M:%S") + (f" {'UTC' if zone in ('UTC', 'UTC+00:00') else zone}")


def _value(value: Any) -> str:
    return "–" if value is None else str(value)
