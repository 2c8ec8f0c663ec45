"""Command line: `python -m build_tools check|build|generate`.

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

from build_tools import generator
from build_tools.diagnostics import ContentError

EXIT_CONTENT = 1
EXIT_BUILD = 3


def check(content: Path, allow_uncited: bool = False) -> int:
    from build_tools.loader import load_content

    calc_ids, _ = generator.calculator_info()
    try:
        load_content(content, calc_ids)
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


def build(site: Path, post_steps: bool = True) -> int:
    """Content → pages → `mkdocs build` into a temporary folder → swap into place."""
    try:
        generator.generate()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    site.parent.mkdir(parents=True, exist_ok=True)
    for stale in site.parent.glob(f".{site.name}.building-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(tmp)]
    result = subprocess.run(mkdocs, cwd=generator.ROOT, env=env, check=False)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print("mkdocs build failed; the previous site/ is untouched.", file=sys.stderr)
        return EXIT_BUILD
    if post_steps:
        from build_tools import postbuild

        try:
            postbuild.run(tmp)
        except Exception:
            shutil.rmtree(tmp, ignore_errors=True)
            print("post-build step failed; the previous site/ is untouched.", file=sys.stderr)
            raise
    swap_in(tmp, site)
    print(f"site built in {site}")
    return 0


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
    sub.add_parser("generate", help="write the generated Markdown into build/docs only")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(generator.CONTENT, args.allow_uncited)
    if args.command == "build":
        return build(args.site.resolve())
    try:
        generator.generate()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    return 0


if __name__ == "__main__":
    sys.exit(main())
