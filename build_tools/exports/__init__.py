"""Exports as plug-ins: each a module of this package declaring `EXPORT`.

An export turns the validated corpus (and the build's settings) into files for other tools:
guideline.json, the FHIR Bundle, the references for reference managers. Each module
declares one `Export`; `registered()` finds them all, so adding an export is one module
declaring its `EXPORT` the same way, and nothing else changes.

Two stages: `pages` exports are written with the generated pages (guideline.json, made
piece by piece during the render so an edit under `make serve` rewrites only what changed:
build_tools.site_render); `site` exports are written into the finished site folder after
the engine has built it (build_tools.postbuild.write_exports).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from build_tools.context import BuildContext
    from build_tools.loader import Corpus


@dataclass(frozen=True)
class ExportInput:
    """What an export is made from."""

    ctx: BuildContext
    corpus: Corpus
    site: Path
    """The built site folder (a `site` export may look at what the build put there)."""


@dataclass(frozen=True)
class Export:
    """One export: its name, its stage, and the files it makes (path in the site → bytes)."""

    name: str
    stage: Literal["pages", "site"]
    files: Callable[[ExportInput], Mapping[str, bytes]]


STAGES: Final = ("pages", "site")


def registered(stage: str | None = None) -> list[Export]:
    """Every export this package holds (in module-name order), or those of one stage."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        export = getattr(module, "EXPORT", None)
        if isinstance(export, Export) and (stage is None or export.stage == stage):
            found.append(export)
    return found


def write(stage: str, job: ExportInput) -> list[str]:
    """Write every export of `stage` into the site folder; the paths written."""
    written = []
    for export in registered(stage):
        for rel, data in export.files(job).items():
            path = job.site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(rel)
    return written
