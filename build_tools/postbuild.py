"""Steps after `mkdocs build`, on the not-yet-published site folder.

The calculator runtime is added here rather than through MkDocs: Pyodide and the wheel are
binary files that MkDocs has no reason to know about, and the build only swaps the folder
into place once this step has succeeded.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from build_tools import offline_runtime, precompress, runtimecheck, wheel
from build_tools.context import BuildContext

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_FOLDER = "pyodide"
# What the worker needs from the npm package, and nothing else (no console pages, no maps).
# The standard library is not among them: the build serves a trimmed one (wheel.build_stdlib).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm")
# sw.js lives with the other scripts; it is served from the site root, where its scope is
# the whole site, so the copy under assets/ is moved there.
SERVICE_WORKER = "assets/js/sw.js"
# The service worker's cache is named after everything it caches, so a new build replaces it.
BUILD_MARK = "__CALCULATOR_BUILD__"


def install_runtime(site: Path, runtime: Path = wheel.RUNTIME) -> str:
    """Copy Pyodide, the calculators wheel and its lock file into `site/pyodide/`.

    Returns a digest of what was installed (used to version the service worker's cache).
    Every Pyodide file read or shipped is checked against the locked hashes first
    (build_tools.runtimecheck), and the copies again after copying; a mismatch refuses.
    """
    # The full standard library is read (to trim it), not shipped: it is checked all the same.
    runtimecheck.verify_runtime(
        runtime, (*RUNTIME_FILES, wheel.LOCKFILE_NAME, wheel.STDLIB_SOURCE.name)
    )
    target = site / RUNTIME_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        bundle = wheel.build_runtime(Path(staging) / "runtime")
        print(f"calculators wheel: {bundle.wheel.name}, {bundle.note}")
        for source in (bundle.wheel, bundle.lockfile, bundle.stdlib):
            shutil.copyfile(source, target / source.name)
    for name in RUNTIME_FILES:
        source = runtime / name
        if not source.is_file():
            raise FileNotFoundError(f"{source} is missing: run `make setup` (npm ci installs it)")
        shutil.copyfile(source, target / name)
    runtimecheck.verify_runtime(target, RUNTIME_FILES)
    precompress.precompress(target)  # .br and .gz copies, for hosts that serve them
    offline_runtime.write_manifest(site)  # what "Make calculators available offline" keeps
    digest = hashlib.sha256()
    for path in sorted(target.iterdir()):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def runtime_inputs_digest(runtime: Path = wheel.RUNTIME) -> str:
    """A cheap digest of what install_runtime reads, so `mkdocs serve` re-installs only on change.

    Sizes and modification times stand in for contents: building the wheel to compare it
    would cost what re-installing costs.
    """
    digest = hashlib.sha256()
    sources = [*sorted(wheel.SOURCE.rglob("*.py")), wheel.RUNTIME_LOCK, wheel.STDLIB_SOURCE]
    sources.append(wheel.STDLIB_LIST)
    sources += [runtime / name for name in RUNTIME_FILES]
    for path in sources:
        stat = (path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else None
        digest.update(f"{path}:{stat}\n".encode())
    return digest.hexdigest()


def has_runtime(site: Path) -> bool:
    names = (*RUNTIME_FILES, wheel.STDLIB_NAME)
    return all((site / RUNTIME_FOLDER / name).is_file() for name in names)


def install_service_worker(site: Path, runtime_digest: str) -> None:
    """Write sw.js at the site root (its scope is the whole site), versioned by content."""
    digest = hashlib.sha256(runtime_digest.encode())
    for script in sorted((site / "assets" / "js").glob("*")):
        digest.update(script.read_bytes())
    source = site / SERVICE_WORKER
    text = source.read_text("utf-8")
    if BUILD_MARK not in text:
        raise ValueError(f"{SERVICE_WORKER}: the cache-version mark {BUILD_MARK} is missing")
    (site / "sw.js").write_text(text.replace(BUILD_MARK, digest.hexdigest()[:16]), "utf-8")
    source.unlink()


EXPORTS_FOLDER = "exports"


def write_exports(site: Path, ctx: BuildContext | None = None) -> None:
    """Every export written after the engine's build (build_tools.exports, stage `site`):
    the FHIR Bundle (`fhir/guideline.json`) and the references for reference managers
    (`exports/references.{json,bib,ris}`), from the same validated content as the pages.

    Canonical URLs use the public address (the settings' site URL); the Bundle's calculator
    Libraries point at the wheel installed by install_runtime.
    """
    from build_tools import exports, generator

    ctx = ctx if ctx is not None else BuildContext.create()
    exports.write("site", exports.ExportInput(ctx, generator.load(ctx), site))


# What a first visit loads besides the runtime and the page: the search index (the theme
# fetches it on every first page), the theme's scripts and styles, and the site's own.
# Precompressed like the runtime, for hosts that serve such copies (the search index is
# 0.11 MB as `.br` against 0.16 MB gzipped on the fly); pages are left to the host. Brotli
# at quality 9, not 11: these change with the content, and 11 took 1.5 s a build for the
# search index alone (minutes at the scale benchmark's 100x).
FIRST_VISIT_FILES = (
    "search/search_index.json",
    "assets/javascripts/**/*.js",
    "assets/stylesheets/*.css",
    "assets/js/*.js",
    "assets/js/*.mjs",
    "assets/css/*.css",
)


def precompress_first_visit(site: Path) -> list[Path]:
    """Write `.br` and `.gz` copies beside the files of FIRST_VISIT_FILES; return them."""
    files = sorted({path for pattern in FIRST_VISIT_FILES for path in site.glob(pattern)})
    return precompress.precompress_files(files, cache=None, quality=9)


def run(site: Path, editions: bool = True, ctx: BuildContext | None = None) -> None:
    """Add the calculator runtime and the service worker to a freshly built site.

    Then the printed handbook and the offline bundle (build_tools.editions), last: the
    bundle packs the finished folder, runtime included. `editions=False` is for measuring
    the site build alone (the scale benchmark).
    """
    install_service_worker(site, install_runtime(site))
    ctx = ctx if ctx is not None else BuildContext.create()  # the build's, passed down
    write_exports(site, ctx)
    precompress_first_visit(site)
    if not editions:
        return
    from build_tools import editions as printed

    printed.write_editions(site, ctx=ctx)
