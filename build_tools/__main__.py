"""Command line: `python -m build_tools check|build|generate|handbook|bundle`.

`build` is what `make site` runs: check all content first, build into a fresh folder, and
replace site/ only when everything succeeded, so a failed or interrupted build leaves the
previous site untouched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from build_tools import buildlock, generator
from build_tools.context import BuildContext, Settings
from build_tools.diagnostics import ContentError
from build_tools.handbook import PAPER_ENV, PAPER_SIZES

EXIT_CONTENT = 1
EXIT_BUILD = 3


def check(content: Path, allow_uncited: bool = False) -> int:
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


def build(site: Path, post_steps: bool = True, editions: bool = True) -> int:
    """Content → pages → `mkdocs build` into a temporary folder → swap into place.

    The generated pages go to a folder of this build's own, so a `make serve` running at
    the same time (which reads build/docs) and this build never see each other's files.
    Only one build at a time writes a given site folder (buildlock); a second one refuses.
    """
    try:
        with buildlock.BuildLock(site):
            return _locked_build(site, post_steps, editions)
    except buildlock.BuildBusy as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUILD


def _locked_build(site: Path, post_steps: bool, editions: bool) -> int:
    build_dir = generator.ROOT / "build"
    (build_dir / "docs").mkdir(parents=True, exist_ok=True)  # mkdocs.yml names it
    for stale in build_dir.glob(".pages-*-*"):  # left by a killed build (its process is gone)
        if not buildlock.owner_alive(int(stale.name.split("-")[1])):
            shutil.rmtree(stale, ignore_errors=True)
    pages = Path(tempfile.mkdtemp(prefix=f".pages-{os.getpid()}-", dir=build_dir))
    previous = os.environ.get("GUIDELINE_BUILD")
    os.environ["GUIDELINE_BUILD"] = str(pages)  # for `mkdocs build` and the offline bundle's
    try:
        return _build(site, pages, post_steps, editions)
    finally:
        if previous is None:
            os.environ.pop("GUIDELINE_BUILD", None)
        else:
            os.environ["GUIDELINE_BUILD"] = previous
        shutil.rmtree(pages, ignore_errors=True)


def _build(site: Path, pages: Path, post_steps: bool, editions: bool) -> int:
    try:
        generator.generate(BuildContext.create())  # into $GUIDELINE_BUILD/docs
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    site.parent.mkdir(parents=True, exist_ok=True)
    for stale in site.parent.glob(f".{site.name}.building-*"):  # left by a killed build
        if buildlock.stale(stale):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-{os.getpid()}-", dir=site.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp)]
    result = subprocess.run(
        mkdocs,
        cwd=generator.ROOT,
        env=env,
        check=False,
        preexec_fn=buildlock.die_with_parent(),
    )
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print("mkdocs build failed; the previous site/ is untouched.", file=sys.stderr)
        return EXIT_BUILD
    from build_tools import pagecheck

    broken = pagecheck.check_site(pages / "docs", tmp)
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
            postbuild.run(tmp, editions=editions)
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


def write_handbook(paper: str | None, output: Path | None) -> int:
    """`python -m build_tools handbook`: the PDF alone, e.g. on US Letter."""
    from build_tools import handbook

    try:
        paper = paper or handbook.paper_from_env()
        target = output or Settings.from_environment().build / f"handbook-{paper}.pdf"
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


def write_bundle(site: Path, output: Path | None) -> int:
    """`python -m build_tools bundle`: rebuild the zip from a built site (docs regenerated)."""
    from build_tools import bundle

    if not (site / "index.html").is_file():
        print(f"{site} holds no built site: run `make site` first", file=sys.stderr)
        return EXIT_BUILD
    try:
        corpus = generator.generate(BuildContext.create()).corpus
        assert corpus is not None
        launchers = bundle.launcher_files(
            corpus.guideline.title,
            generator.edition(),
            corpus.guideline.date,
            corpus.guideline.disclaimer,
        )
        target = (output or site / bundle.BUNDLE_NAME).resolve()
        bundle.finish_bundle(bundle.start_offline_build(), site, target, launchers)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    except bundle.BundleError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BUILD
    print(f"offline bundle written: {target}")
    return 0


def _set_site_url(given: str | None) -> bool:
    """Check the public address once, hand it to `mkdocs build` and the exports (SITE_URL),
    and say once when links will point at the local server."""
    from build_tools import siteurl

    try:
        address = siteurl.normalise(given) if given else siteurl.site_url()
    except siteurl.SiteUrlError as exc:
        print(exc, file=sys.stderr)
        return False
    os.environ[siteurl.ENV] = address
    if siteurl.is_local(address):
        print(
            f"note: no public address set ({siteurl.ENV} or --site-url): canonical links, "
            f"the sitemap and the FHIR Bundle point at the local server {address}"
        )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate content/ and report every problem")
    p_check.add_argument(
        "--allow-uncited",
        action="store_true",
        help="do not report references that nothing cites (while drafting)",
    )
    p_build = sub.add_parser("build", help="build the site into site/ (atomically)")
    p_build.add_argument("--site", type=Path, default=generator.ROOT / "site")
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
    p_bundle.add_argument("--site", type=Path, default=generator.ROOT / "site")
    p_bundle.add_argument(
        "--output",
        type=Path,
        default=None,
        help="zip to write (default <site>/handbook-offline.zip)",
    )
    args = parser.parse_args(argv)
    if args.command == "handbook":
        return write_handbook(args.paper, args.output)
    if args.command == "bundle":
        return write_bundle(args.site.resolve(), args.output)
    if args.command == "check":
        return check(Settings.from_environment().content, args.allow_uncited)
    if args.command == "check-deploy":
        from build_tools import deploycheck

        report = deploycheck.check_deployment(args.url)
        print("\n".join(report.lines()))
        return EXIT_BUILD if report.problems else 0
    if args.command == "build":
        if not _set_site_url(args.site_url):
            return EXIT_BUILD
        if args.include_unverified:
            from build_tools.provenance import INCLUDE_UNVERIFIED_ENV

            os.environ[INCLUDE_UNVERIFIED_ENV] = "1"  # for `mkdocs build` and the handbook too
        return build(args.site.resolve(), editions=not args.no_editions)
    try:
        generator.generate(BuildContext.create())
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    return 0


if __name__ == "__main__":
    sys.exit(main())
