"""Content problems, gathered rather than raised one at a time.

Authors fix content in batches, so the build reports every problem it can find in one run
(mkdocs' "collect, log, abort once") and each report points at a file, line and key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as the loader knows."""

    path: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass
class Problems:
    """An accumulator handed through every validation stage."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str | Path, line: int, column: int, key: str, message: str) -> None:
        self.items.append(Problem(str(path), line, column, key, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.items)))

    def report(self) -> str:
        lines = [str(p) for p in self]
        noun = "problem" if len(lines) == 1 else "problems"
        return "\n".join([*lines, f"{len(lines)} content {noun}; nothing was written."])


class ContentError(Exception):
    """Raised once, after validation, when any problem was found."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(problems.report())
        self.problems = problems
