"""Fail when a module of the portal's code is over the size limit (tests and migrations excepted).

A module that grows past it is doing two things: split it by entity or by audience.
"""

from __future__ import annotations

import sys
from pathlib import Path

LIMIT = 600
ROOTS = ("jcr", "outreach", "prosecution", "govrelations", "integrity")


def code_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def oversized(base: Path) -> list[tuple[str, int]]:
    found = []
    for root in ROOTS:
        for path in sorted((base / root).rglob("*.py")):
            parts = set(path.relative_to(base).parts)
            if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
                continue
            if (lines := code_lines(path)) > LIMIT:
                found.append((str(path.relative_to(base)), lines))
    return found


if __name__ == "__main__":
    base = Path(__file__).resolve().parent.parent
    over = oversized(base)
    for name, lines in over:
        print(f"{name}: {lines} non-blank lines (limit {LIMIT}): split it by entity or audience")
    sys.exit(1 if over else 0)
