"""``{% docs name %}…{% enddocs %}`` blocks in .md files, and ``{{ doc('name') }}`` in descriptions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from odibi_sql.project.doc_blocks import BLOCK, DOC_CALL
from odibi_sql.project.files import FileProblem, read_inside


def read_doc_blocks(root: Path, folders: Iterable[Path]) -> dict[str, str]:
    blocks: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            try:
                text = read_inside(path, root, path.name)
            except FileProblem:
                continue  # a description file outside the project, too large or not UTF-8: no doc blocks
            for match in BLOCK.finditer(text):
                blocks[match.group(1)] = match.group(2).strip()
    return blocks


def render_description(text: str | None, blocks: dict[str, str]) -> tuple[str | None, str | None]:
    """The description with ``doc()`` calls replaced, and the first unknown doc name (or None)."""
    if not text or "doc(" not in text:
        return text, None
    missing = [m.group(2) for m in DOC_CALL.finditer(text) if m.group(2) not in blocks]
    if missing:
        return text, missing[0]
    return DOC_CALL.sub(lambda m: blocks[m.group(2)], text), None
