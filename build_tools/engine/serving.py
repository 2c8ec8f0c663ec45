"""One MkDocs build of the adapter: run the generator first, finish the served site after.

`generate` runs inside every `mkdocs build` and `serve` rebuild, before MkDocs collects
files; `finish_served` adds what only a served site needs (the export written on a thread
of its own, the calculator runtime, the printed editions of the last `make site`).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import shutil
import threading
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from build_tools import generator
from build_tools.diagnostics import ContentError
from build_tools.engine import engineconfig, fastpath
from build_tools.engine.session import Session

log = logging.getLogger("mkdocs.hooks.guideline")


def generate(session: Session, config: MkDocsConfig) -> None:
    """Generate pages before MkDocs collects files, and give it the nav derived from content.

    A content error aborts the build with every problem logged; under `serve` the problems
    are kept for the page the server shows instead of the site (build_tools.engine.errors).
    """
    session.started = time.perf_counter()
    session.problems = []
    if session.serving:
        refuse_changed_calculators(session)
    changed = session.changes.take() if session.changes is not None else None
    try:
        result = generator.generate(session.ctx, defer_export=session.serving, changed=changed)
    except ContentError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        session.problems = list(exc.problems)
        raise Abort(exc.problems.report().splitlines()[-1]) from None
    session.generator_s = time.perf_counter() - session.started
    session.quick = result.quick
    if session.serving and not session.frozen:
        # The generator's corpus and caches live as long as the server: over a million
        # objects at a hundred times today's content, which every full garbage collection
        # would walk again (over a second, in the middle of an edit's rebuild). Frozen, they
        # are left out of collections; what an edit replaces is still freed as it goes.
        gc.freeze()
        session.frozen = True
    session.export = result.export
    settings = session.ctx.settings
    engineconfig.apply_generated(config, settings, result.nav, publishing=not session.serving)
    if result.written or result.removed:
        log.info(
            "guideline: %d file(s) written, %d removed in %.2f s (%d of %d pages regenerated)",
            len(result.written),
            len(result.removed),
            session.generator_s,
            result.rendered,
            result.pages,
        )
    if session.dirty:
        abbreviations = (settings.snippets / "abbreviations.md").read_bytes()
        source = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        session.markdown_inputs = hashlib.sha256(abbreviations + b"\0" + source).digest()
        inputs = fastpath.page_inputs(config, result.nav, session.markdown_inputs)
        session.full = inputs != session.page_inputs
        session.page_inputs = inputs
        fastpath.remove_pages(Path(config.site_dir), result.removed)


def calculators_digest(session: Session) -> str:
    digest = hashlib.sha256()
    for path in sorted((session.ctx.settings.root / "calculators").rglob("*.py")):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def refuse_changed_calculators(session: Session) -> None:
    """The pages' forms and tables come from the calculators this process imported; a changed
    calculator cannot be re-imported safely, and serving new code in the browser under old
    pages would pair a form with limits its code no longer has. Stop and say so instead."""
    now = calculators_digest(session)
    if not session.calculators:
        session.calculators = now
    elif now != session.calculators:
        raise Abort(
            "calculators/ changed while serving: restart `make serve` to rebuild the "
            "calculator pages and their runtime together (the site shown is the previous one)"
        )


def finish_served(session: Session, config: MkDocsConfig) -> None:
    """Under `mkdocs serve`, complete the search index and add the calculator runtime.

    `python -m build_tools build` runs the full post-build (runtime, handbook, bundle) on its
    own temporary folder instead, so this runs only when serving.
    """
    site = Path(config.site_dir)
    if session.export is not None:
        write_export(session, site / "guideline.json", session.export)
        session.export = None
    if session.dirty:
        fastpath.complete_search_index(session, config)
    from build_tools import postbuild

    inputs = postbuild.runtime_inputs_digest()
    if session.runtime is None or session.runtime[0] != inputs or not postbuild.has_runtime(site):
        session.runtime = (inputs, postbuild.install_runtime(site))
    postbuild.install_service_worker(site, session.runtime[1])
    write_study_files(session, site)
    # The printed editions come from `make site` (run by `make serve` first): serve those.
    for name in ("handbook.pdf", "handbook-offline.zip"):
        built = session.ctx.settings.root / "site" / name
        target = site / name
        fresh = target.is_file() and target.stat().st_mtime >= built.stat().st_mtime
        if built.is_file() and not fresh:
            shutil.copyfile(built, target)
    total = time.perf_counter() - session.started
    log.info(
        "guideline: %s rebuild of %d page(s) (%d converted) in %.2f s; generator %.3f s "
        "(share %.2f; %s)",
        "full" if session.full else "incremental",
        len(session.built_urls),
        len(session.built_urls) - len(session.reused),
        total,
        session.generator_s,
        session.generator_s / total if total else 0.0,
        "edited entries only" if session.quick else "every page checked",
    )


def write_study_files(session: Session, site: Path) -> None:
    """The study pages' cards.json and decks (a `site` export, which only the full build
    writes), from the cards the pages were last planned with: made again only when those
    changed, written only where the served copy differs."""
    from build_tools import study_site

    source = session.ctx.memos.study.source
    if source is None:
        return
    for rel, data in study_site.published(session.ctx, source).items():
        target = site / rel
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def write_export(session: Session, target: Path, chunks: list[bytes]) -> None:
    """Write guideline.json into the served site on a thread of its own.

    At a hundred times today's content it is tens of megabytes: written in line, through
    the docs folder and copied by MkDocs, it cost more than regenerating the edited page.
    The writing runs beside the rest of the build (the file system needs no interpreter
    lock); writes follow one another in order, each replacing the file whole.
    """
    previous = session.export_writer
    if previous is not None:
        previous.join()
    session.export_writer = threading.Thread(
        target=export_or_log, args=(target, chunks), name="guideline-export"
    )
    session.export_writer.start()


def export_or_log(target: Path, chunks: list[bytes]) -> None:
    try:
        generator.write_file(target, b"".join(chunks))
    except OSError as exc:  # said where the author reads, not as a thread's traceback
        log.error("guideline: could not write %s: %s", target, exc)
