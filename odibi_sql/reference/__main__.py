"""``python -m odibi_sql.reference [--docs DIR] [--check]``: write (or check) the generated pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from odibi_sql.reference import generated_pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m odibi_sql.reference", description=__doc__)
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="the docs/ folder (default: ./docs)")
    parser.add_argument("--check", action="store_true", help="only report pages that are out of date")
    args = parser.parse_args(argv)
    stale = []
    for relative, text in generated_pages().items():
        path = args.docs / relative
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "out of date" if args.check else "written"
    for relative in stale:
        print(f"{verb}: {args.docs / relative}")
    if not stale:
        print("generated pages are up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
