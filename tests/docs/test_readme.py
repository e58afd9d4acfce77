"""The README's two commands are the ones getting-started explains, and CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bash_blocks(path: Path) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", path.read_text(), flags=re.S)]


def test_readme_starts_with_the_two_commands_getting_started_explains():
    readme = _bash_blocks(ROOT / "README.md")[:2]
    assert readme == _bash_blocks(ROOT / "docs/getting-started.md")[:2]
    assert readme[0].startswith("pip install -e '.[dev]' && ") and "odibi-sql build" in readme[0]
    assert readme[1] in (ROOT / ".ci/run").read_text()
