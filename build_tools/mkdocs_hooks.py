"""The only module that imports MkDocs: run the generator inside `mkdocs build` and `serve`.

Keeping MkDocs at arm's length means a theme or engine change touches this file alone.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort

# MkDocs loads hooks by file path; make the project importable as a package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_tools import generator
from build_tools.csp import apply_csp
from build_tools.diagnostics import ContentError

log = logging.getLogger("mkdocs.hooks.guideline")


def on_config(config: Any) -> Any:
    """Generate pages before MkDocs collects files, and give it the nav derived from content."""
    try:
        result = generator.generate()
    except ContentError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        raise Abort(exc.problems.report().splitlines()[-1]) from None
    config["nav"] = result.nav
    if result.written or result.removed:
        log.info(
            "guideline: %d file(s) written, %d removed", len(result.written), len(result.removed)
        )
    return config


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when content, calculators or templates change (the docs folder is generated)."""
    for folder in (generator.CONTENT, generator.TEMPLATES, generator.ROOT / "calculators"):
        server.watch(str(folder))
    return server


def on_post_page(output: str, page: Any, config: Any) -> str:
    return apply_csp(output)


def on_post_build(config: Any) -> None:
    """Under `mkdocs serve`, add the calculator runtime so calculators work there too.

    `python -m build_tools build` runs the full post-build (runtime, handbook, bundle) on its
    own temporary folder instead, so this runs only when serving.
    """
    if not _serving:
        return
    from build_tools import postbuild

    site = Path(config["site_dir"])
    postbuild.install_service_worker(site, postbuild.install_runtime(site))
    # The printed editions come from `make site` (run by `make serve` first): serve those.
    for name in ("handbook.pdf", "handbook-offline.zip"):
        built = generator.ROOT / "site" / name
        if built.is_file():
            shutil.copyfile(built, site / name)


_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving  # noqa: PLW0603 - MkDocs reports the command once, per process
    _serving = command == "serve"
