"""dbt's docs blocks: ``{% docs name %}...{% enddocs %}`` in the project's Markdown files, used in
descriptions as ``{{ doc('name') }}`` (node and column descriptions, as dbt does)."""

from __future__ import annotations

import re
from pathlib import Path

from odibi_sql.diagnostics import DiagnosticCollector, Location, did_you_mean, relative
from odibi_sql.project.files import is_inside

BLOCK = re.compile(r"\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}", re.S)
"""A docs block: its name, then its text."""
DOC_CALL = re.compile(r"""\{\{\s*doc\(\s*(['"])([^'"]+)\1\s*\)\s*\}\}""")
"""``{{ doc('name') }}``: the quote, then the name."""
_SKIPPED = {"target", "node_modules"}
MAX_FILE = 1_000_000
"""Larger Markdown files are not searched for docs blocks."""


def collect_doc_blocks(root: Path, errors: DiagnosticCollector) -> dict[str, str]:
    """``{name: text}`` from every ``*.md`` of the project (not target/ or hidden folders, nor a
    link leading outside the project)."""
    blocks: dict[str, str] = {}
    where: dict[str, str] = {}
    for path in sorted(root.rglob("*.md")):
        parts = path.relative_to(root).parts
        skipped = any(p in _SKIPPED or p.startswith(".") for p in parts[:-1])
        if skipped or not is_inside(path, root) or path.stat().st_size > MAX_FILE:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in BLOCK.finditer(text):
            name, file = match.group(1), relative(path, root)
            if name in blocks:
                errors.add(
                    f"docs block '{name}' is defined twice (also in {where[name]})",
                    Location(file, text.count("\n", 0, match.start()) + 1),
                    hint="rename one of them",
                )
            blocks[name], where[name] = match.group(2).strip(), file
    return blocks


def resolve_docs(
    text: str | None, blocks: dict[str, str], location: Location, errors: DiagnosticCollector
) -> str | None:
    """``text`` with each ``{{ doc('name') }}`` replaced by its block."""
    if not text or "doc(" not in text:
        return text

    def swap(match: re.Match) -> str:
        name = match.group(2)
        if name not in blocks:
            errors.add(
                f"doc('{name}'): there is no docs block named '{name}'.{did_you_mean(name, blocks)}",
                location,
                hint="define it in a .md file of the project: {% docs " + name + " %}...{% enddocs %}",
            )
            return match.group(0)
        return blocks[name]

    return DOC_CALL.sub(swap, text)
