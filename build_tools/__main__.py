"""Command line: `python -m build_tools check|build|serve|generate|handbook|bundle`.

`build` is what `make site` runs: check all content first, build into a fresh folder, and
replace site/ only when everything succeeded, so a failed or interrupted build leaves the
previous site untouched. `serve` is what `make serve` runs. The settings are read from the
environment once (`Settings.from_environment`), changed by the options, and passed down; the
engine (build_tools.engine) is reached through its adapter alone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from build_tools import buildlock, generator
from build_tools.context import BuildContext, Settings
from build_tools.diagnostics import ContentError
from build_tools.engine import runner
from build_tools.handbook import PAPER_ENV, PAPER_SIZES

EXIT_CONTENT = 1
EXIT_BUILD = 3


def check(content: Path, allow_uncited: bool = False) -> int:
    """Validate content and report every problem."""
    from build_tools.context import CalculatorCatalog
    from build_tools.loader import load_content
    from build_tools.store import ContentStore

    try:
        load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    except ContentError as exc:
        problems = [
            p for p in exc.problems if not (allow_uncited and "is never cited" in p.message)
        ]
        if problems:
            for p in problems:
                print(p, file=sys.stderr)
            print(f"{len(problems)} content problem(s).", file=sys.stderr)
            return EXIT_CONTENT
    print("content OK")
    return 0


def swap_in(new: Path, site: Path) -> None:
    """Replace `site` with `new` in two renames; the old tree is removed only afterwards."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    new.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def build(settings: Settings, site: Path, post_steps: bool = True, editions: bool = True) -> int:
    """Content → pages → the engine's build into a temporary folder → swap into place.

    The generated pages go to a folder of this build's own, so a `make serve` running at
    the same time (which reads build/docs) and this build never see each other's files.
    Only one build at a time writes a given site folder (buildlock); a second one refuses.
    """
    try:
        with buildlock.BuildLock(site):
            return _locked_build(settings, site, post_steps, editions)
    except buildlock.BuildBusy as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUILD


def _locked_build(settings: Settings, site: Path, post_steps: bool, editions: bool) -> int:
    build_dir = settings.root / "build"
    (build_dir / "docs").mkdir(parents=True, exist_ok=True)  # mkdocs.yml names it
    for stale in build_dir.glob(".pages-*-*"):  # left by a killed build (its process is gone)
        if not buildlock.owner_alive(int(stale.name.split("-")[1])):
            shutil.rmtree(stale, ignore_errors=True)
    pages = Path(tempfile.mkdtemp(prefix=f".pages-{os.getpid()}-", dir=build_dir))
    own = settings.but(build=pages)  # for the engine's build and the offline bundle's
    try:
        with _environment_for_this_process(own):
            return _build(BuildContext.create(own), site, post_steps, editions)
    finally:
        shutil.rmtree(pages, ignore_errors=True)


@contextlib.contextmanager
def _environment_for_this_process(settings: Settings) -> Iterator[None]:
    """The settings, also in this process's environment for the length of one build.

    The steps after the engine's build (the exports, the handbook, the offline copy) still
    take some settings from the environment; until they take the context, they see the
    build's own (its pages folder, public address, review flag). Restored afterwards.
    """
    previous = dict(os.environ)
    os.environ.clear()
    os.environ.update(settings.environment(previous))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(previous)


def _build(ctx: BuildContext, site: Path, post_steps: bool, editions: bool) -> int:
    try:
        generator.generate(ctx)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    site.parent.mkdir(parents=True, exist_ok=True)
    for stale in site.parent.glob(f".{site.name}.building-*"):  # left by a killed build
        if buildlock.stale(stale):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-{os.getpid()}-", dir=site.parent))
    if not runner.build(ctx.settings, tmp):
        shutil.rmtree(tmp, ignore_errors=True)
        print("mkdocs build failed; the previous site/ is untouched.", file=sys.stderr)
        return EXIT_BUILD
    from build_tools import pagecheck

    broken = pagecheck.check_site(ctx.settings.docs, tmp)
    if broken:
        shutil.rmtree(tmp, ignore_errors=True)
        for problem in broken:
            print(problem, file=sys.stderr)
        print(f"{len(broken)} page problem(s); the previous site/ is untouched.", file=sys.stderr)
        return EXIT_BUILD
    if post_steps:
        from build_tools import postbuild
        from build_tools.runtimecheck import RuntimeMismatch

        try:
            postbuild.run(tmp, editions=editions, ctx=ctx)
        except RuntimeMismatch as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            print(f"{exc}\nThe previous site/ is untouched.", file=sys.stderr)
            return EXIT_BUILD
        except Exception:
            shutil.rmtree(tmp, ignore_errors=True)
            print("post-build step failed; the previous site/ is untouched.", file=sys.stderr)
            raise
    swap_in(tmp, site)
    print(f"site built in {site}")
    return 0


def write_handbook(settings: Settings, paper: str | None, output: Path | None) -> int:
    """`python -m build_tools handbook`: the PDF alone, e.g. on US Letter."""
    from build_tools import handbook

    try:
        paper = paper or handbook.paper_from_env()
        target = output or settings.build / f"handbook-{paper}.pdf"
        report = handbook.build_handbook(target.resolve(), paper=paper)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    except handbook.HandbookError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUILD
    for note in report.skipped:
        print(f"handbook: {note}", file=sys.stderr)
    print(f"{report.summary()}: {report.target}")
    return 0


def write_bundle(ctx: BuildContext, site: Path, output: Path | None) -> int:
    """`python -m build_tools bundle`: rebuild the zip from a built site (docs regenerated)."""
    from build_tools import bundle

    if not (site / "index.html").is_file():
        print(f"{site} holds no built site: run `make site` first", file=sys.stderr)
        return EXIT_BUILD
    try:
        corpus = generator.generate(ctx).corpus
        assert corpus is not None
        launchers = bundle.launcher_files(
            corpus.guideline.title,
            ctx.calculators.edition,
            corpus.guideline.date,
            corpus.guideline.disclaimer,
        )
        target = (output or site / bundle.BUNDLE_NAME).resolve()
        offline = bundle.start_offline_build(settings=ctx.settings)
        bundle.finish_bundle(offline, site, target, launchers)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    except bundle.BundleError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUILD
    print(f"offline bundle written: {target}")
    return 0


def _with_site_url(settings: Settings, given: str | None) -> Settings | None:
    """The settings with the public address checked once (for the engine's build and the
    exports), saying once when links will point at the local server; None when invalid."""
    from build_tools import siteurl

    try:
        address = siteurl.normalise(given) if given else siteurl.site_url(settings=settings)
    except siteurl.SiteUrlError as exc:
        print(exc, file=sys.stderr)
        return None
    if siteurl.is_local(address):
        print(
            f"note: no public address set ({siteurl.ENV} or --site-url): canonical links, "
            f"the sitemap and the FHIR Bundle point at the local server {address}"
        )
    return settings.but(site_url=address)


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_environment()
    parser = argparse.ArgumentParser(prog="python -m build_tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate content/ and report every problem")
    p_check.add_argument(
        "--allow-uncited",
        action="store_true",
        help="do not report references that nothing cites (while drafting)",
    )
    p_build = sub.add_parser("build", help="build the site into site/ (atomically)")
    p_build.add_argument("--site", type=Path, default=settings.root / "site")
    p_build.add_argument(
        "--no-editions",
        action="store_true",
        help="skip the PDF and the offline zip (for measuring the site build)",
    )
    p_build.add_argument(
        "--site-url",
        default=None,
        help="the public address the site is published at (default: $SITE_URL, else the "
        "local server's); used by canonical links, the sitemap and the FHIR Bundle",
    )
    p_build.add_argument(
        "--include-unverified",
        action="store_true",
        help="show unverified rules for review, marked on every occurrence (never for "
        "publication: by default they are only listed as left out)",
    )
    sub.add_parser("generate", help="write the generated Markdown into build/docs only")
    p_serve = sub.add_parser(
        "serve", help="serve the site with live reload, rebuilding what each edit touches"
    )
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_deploy = sub.add_parser(
        "check-deploy", help="check a deployed copy of the site (pages, CSP, runtime, worker)"
    )
    p_deploy.add_argument("url", help="the address the site is published at")
    p_book = sub.add_parser("handbook", help="write the printed handbook (PDF) only")
    p_book.add_argument(
        "--paper",
        choices=sorted(PAPER_SIZES),
        default=None,
        help=f"paper size (default: ${PAPER_ENV}, else a4; `make site` publishes a4)",
    )
    p_book.add_argument(
        "--output",
        type=Path,
        default=None,
        help="PDF to write (default build/handbook-<paper>.pdf)",
    )
    p_bundle = sub.add_parser(
        "bundle", help="(re)write the offline bundle of an already built site"
    )
    p_bundle.add_argument("--site", type=Path, default=settings.root / "site")
    p_bundle.add_argument(
        "--output",
        type=Path,
        default=None,
        help="zip to write (default <site>/handbook-offline.zip)",
    )
    args = parser.parse_args(argv)
    if args.command == "handbook":
        return write_handbook(settings, args.paper, args.output)
    if args.command == "bundle":
        return write_bundle(BuildContext.create(settings), args.site.resolve(), args.output)
    if args.command == "check":
        return check(settings.content, args.allow_uncited)
    if args.command == "serve":
        return runner.serve(settings, args.host, args.port)
    if args.command == "check-deploy":
        from build_tools import deploycheck

        report = deploycheck.check_deployment(args.url)
        print("\n".join(report.lines()))
        return EXIT_BUILD if report.problems else 0
    if args.command == "build":
        published = _with_site_url(settings, args.site_url)
        if published is None:
            return EXIT_BUILD
        if args.include_unverified:  # for the engine's build and the handbook too
            published = published.but(include_unverified=True)
        return build(published, args.site.resolve(), editions=not args.no_editions)
    try:
        generator.generate(BuildContext.create(settings))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    return 0


if __name__ == "__main__":
    sys.exit(main())
