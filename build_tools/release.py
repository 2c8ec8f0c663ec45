"""Cutting an edition: keep its export, then move the edition number on.

`make edition` (`python -m build_tools.release`) checks the content (and refuses on any
problem, listing every one), writes the current export to
`content/editions/<edition>.json`, and bumps the edition in the one place it is declared
(`calculators/edition.py`, which every calculator result carries) and in the package
version (`pyproject.toml`). From then on the build compares the content with that kept
export, so the next edition's "What's new" lists exactly what changed after the cut.

Edition numbers are `YEAR.N`: the Nth edition of that year. A cut in a later year than the
edition's starts that year's numbering (`2026.3` cut in 2027 → `2027.1`).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

EDITIONS = "editions"
"""The folder under content/ that keeps published editions' exports."""
EDITION_FILE = Path("calculators") / "edition.py"
_EDITION = re.compile(r"^(\d{4})\.([1-9]\d*)$")
_DECLARED = re.compile(r'^(GUIDELINE_EDITION: Final = ")([^"]+)(")$', re.M)
_VERSION = re.compile(r'^(version = ")([^"]+)(")$', re.M)


class EditionError(ValueError):
    """An edition number or a kept edition that cannot be used; the message says which."""


def edition_key(edition: str) -> tuple[int, int]:
    """`"2026.2"` → `(2026, 2)`, for ordering editions; EditionError for anything else."""
    match = _EDITION.match(edition)
    if match is None:
        raise EditionError(f"edition {edition!r} is not YEAR.N (e.g. 2026.2)")
    return int(match[1]), int(match[2])


def next_edition(current: str, today: datetime.date) -> str:
    year, number = edition_key(current)
    return f"{today.year}.1" if today.year > year else f"{year}.{number + 1}"


def kept_editions(content: Path) -> list[tuple[str, Path]]:
    """Kept exports in edition order, oldest first."""
    folder = content / EDITIONS
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        edition_key(path.stem)
        found.append((path.stem, path))
    return sorted(found, key=lambda item: edition_key(item[0]))


def previous_export(content: Path, current: str) -> Mapping[str, Any] | None:
    """The export of the latest kept edition before `current`, or None when there is none."""
    before = [
        (edition, path)
        for edition, path in kept_editions(content)
        if edition_key(edition) < edition_key(current)
    ]
    if not before:
        return None
    edition, path = before[-1]
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("edition") != edition:
        raise EditionError(f"{path}: holds edition {data.get('edition')!r}, not {edition!r}")
    return data


def bump(root: Path, current: str, new: str) -> None:
    """Declare edition `new` where `current` was declared: calculators/edition.py and the
    package version."""
    for path, pattern in ((root / EDITION_FILE, _DECLARED), (root / "pyproject.toml", _VERSION)):
        text = path.read_text(encoding="utf-8")
        match = pattern.search(text)
        if match is None or match[2] != current:
            raise EditionError(f"{path}: does not declare edition {current!r}")
        path.write_text(pattern.sub(rf"\g<1>{new}\g<3>", text, count=1), encoding="utf-8")


def cut(root: Path, content: Path, export: bytes, today: datetime.date) -> tuple[str, str]:
    """Keep `export` as its edition's and bump the edition; (kept edition, next edition).

    Refuses when that edition is already kept: an edition is published once.
    """
    data = json.loads(export)
    current = str(data.get("edition", ""))
    edition_key(current)
    target = content / EDITIONS / f"{current}.json"
    if target.exists():
        raise EditionError(f"{target}: edition {current} is already kept")
    new = next_edition(current, today)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(export)
    bump(root, current, new)
    return current, new


def main(argv: list[str] | None = None) -> int:
    """`make edition`: check the content, keep this edition's export, bump the edition."""
    import argparse
    import sys

    from build_tools.context import BuildContext
    from build_tools.diagnostics import ContentError
    from build_tools.exports import ExportInput, guideline_json
    from build_tools.generator import load

    parser = argparse.ArgumentParser(prog="python -m build_tools.release")
    parser.parse_args(argv)
    ctx = BuildContext.create()
    try:
        corpus = load(ctx)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print("no edition cut: fix the content first", file=sys.stderr)
        return 1
    export = guideline_json.files(ExportInput(ctx, corpus, ctx.settings.build))
    try:
        kept, new = cut(
            ctx.settings.root, ctx.settings.content, export[guideline_json.NAME],
            datetime.date.today(),
        )  # fmt: skip
    except EditionError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"edition {kept} kept in content/{EDITIONS}/{kept}.json; the edition is now {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
