"""The site's two other editions, made from the same build: the PDF and the offline bundle.

Run by build_tools.postbuild on the not-yet-published site folder, so a failure here leaves
the previous site in place like any other build failure. The offline copy's `mkdocs build`
(a subprocess) runs while the PDF is laid out, which keeps the two off the critical path
of each other on a two-core CI machine.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from build_tools import bundle, generator, handbook
from build_tools.context import BuildContext

PDF_NAME = "handbook.pdf"


@dataclass
class EditionsReport:
    """What was written, and how long it took (printed by `make site`)."""

    handbook: handbook.HandbookReport
    bundle: Path
    bundle_seconds: float


def write_editions(
    site: Path, *, content: Path | None = None, ctx: BuildContext | None = None
) -> EditionsReport:
    """Write site/handbook.pdf and site/handbook-offline.zip, with the build's context."""
    ctx = ctx if ctx is not None else BuildContext.create()
    if content is not None:
        ctx = BuildContext.create(ctx.settings.but(content=content), ctx.calculators)
    # Next to the site folder, named so that a killed build's leftovers match the stale
    # `.site.building-*` folders the next build removes (build_tools.__main__.build).
    offline = bundle.start_offline_build(
        site.parent, prefix=f"{site.name}-offline-", settings=ctx.settings
    )
    try:
        corpus = generator.load(ctx)
        report = handbook.build_handbook(site / PDF_NAME, ctx=ctx, corpus=corpus)
        started = time.perf_counter()
        guideline = corpus.guideline
        launchers = bundle.launcher_files(
            guideline.title, ctx.calculators.edition, guideline.date, guideline.disclaimer
        )
        target = bundle.finish_bundle(offline, site, site / bundle.BUNDLE_NAME, launchers)
    except BaseException:
        offline.cancel()
        raise
    result = EditionsReport(report, target, time.perf_counter() - started)
    print(report.summary())
    for note in report.skipped:
        print(f"handbook: {note}", file=sys.stderr)
    size = target.stat().st_size / 1e6
    seconds = result.bundle_seconds
    print(f"offline bundle: {target.name}, {size:.1f} MB ({seconds:.1f} s after the PDF)")
    return result
