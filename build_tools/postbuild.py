"""Steps after `mkdocs build`, on the not-yet-published site folder."""

from __future__ import annotations

from pathlib import Path


def run(site: Path) -> None:
    """Later steps (calculator runtime, handbook, offline bundle) plug in here."""
    _ = site
