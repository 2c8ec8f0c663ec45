"""Build performance at 1x, 10x and 100x the real content: `python -m build_tools.bench_scale`.

Prints figures; asserts nothing (timings on a shared 2-core machine flake as tests).
For each scale: full build time, the generator's time against `mkdocs build` of the same
generated pages (measured in the same run, as a ratio), the time for a one-entry edit to be
visible in `mkdocs serve`, peak memory, search index size and total site size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import yaml

from build_tools import generator
from build_tools.context import Settings

ROOT = generator.ROOT
# As `make serve` runs it.
SERVE_FLAGS = ("--livereload", "--dirty")
ID_KEYS: AbstractSet[str] = frozenset({"id"})


def synthesise(source: Path, target: Path, factor: int) -> None:
    """Copy content/ with every entry and reference repeated `factor` times under new ids."""
    shutil.copytree(source, target)
    if factor == 1:
        return
    entries = sorted((source / "entries").glob("*.yaml"))
    # Only the papers entries cite are copied (the calculators' own list stays as it is).
    ref_files = {
        p: yaml.safe_load(p.read_text())
        for p in (target / "references").glob("*.yaml")
        if p.name != "calculators.yaml"
    }
    sources = set(yaml.safe_load((source / "guideline.yaml").read_text())["sources"])
    ref_ids = sorted(
        {r["id"] for refs in ref_files.values() for r in refs} - sources, key=len, reverse=True
    )

    def ref_map(suffix: str) -> dict[str, str]:
        return {r: r + suffix for r in ref_ids}

    for copy in range(2, factor + 1):
        suffix = f"-x{copy}"
        for path in entries:
            data = yaml.safe_load(path.read_text())
            data = _rename(data, ref_map(suffix), suffix)
            data["title"] = f"{data['title']} (copy {copy})"
            data["see_also"] = []
            (target / "entries" / f"{path.stem}{suffix}.yaml").write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            )
        for path, refs in ref_files.items():
            copies = []
            for ref in refs:
                if ref["id"] in sources:
                    continue
                dup = dict(ref)
                dup["id"] = ref["id"] + suffix
                dup.pop("cited_as", None)
                copies.append(dup)
            if copies:  # a file per copy: content files are limited in size
                (path.parent / f"{path.stem}{suffix}.yaml").write_text(
                    yaml.safe_dump(copies, allow_unicode=True, sort_keys=False)
                )


def _rename(data: object, refs: dict[str, str], suffix: str, key: str = "") -> Any:
    """A copy of entry data with new ids and every citation pointing at the copied papers."""
    if isinstance(data, dict):
        return {k: _rename(v, refs, suffix, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_rename(v, refs, suffix, key) for v in data]
    if isinstance(data, str):
        if key == "id":
            return data + suffix
        if key in ("refs", "resolved_to") and data in refs:
            return refs[data]
        return re.sub(
            r"@([A-Za-z0-9][A-Za-z0-9_-]*)", lambda m: "@" + refs.get(m.group(1), m.group(1)), data
        )
    return data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure_scale(content: Path, workdir: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "GUIDELINE_CONTENT": str(content),
        "GUIDELINE_BUILD": str(workdir / "build"),  # not the folder `make serve` reads
        "NO_MKDOCS_2_WARNING": "1",
    }
    (ROOT / "build" / "docs").mkdir(parents=True, exist_ok=True)  # mkdocs.yml names it
    site = workdir / "site"
    # A clean build: nothing formatted or compiled earlier is reused. (The generator alone is
    # timed afterwards, as `make site` runs it a second time, inside `mkdocs build`.)
    shutil.rmtree(Settings().cache_store, ignore_errors=True)
    t0 = time.perf_counter()
    # The site alone: the printed editions are measured by their own build (a 100x PDF
    # would be a 15,000-page book, which is not what this benchmark is about).
    built = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "--no-editions", "--site", str(site)],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if built.returncode:
        raise SystemExit(f"build failed at this scale:\n{built.stderr[-3000:]}")
    full = time.perf_counter() - t0

    docs = workdir / "docs"
    t0 = time.perf_counter()
    code = (
        "import sys, json, pathlib; from build_tools import generator;"
        "from build_tools.context import BuildContext, Settings;"
        f"s = Settings.from_environment().but(content=pathlib.Path({str(content)!r}),"
        f" build=pathlib.Path({str(docs.parent)!r}));"
        "r = generator.generate(BuildContext.create(s));"
        "print(json.dumps(r.nav))"
    )
    nav = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    gen = time.perf_counter() - t0

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!!python", "x"))
    config.pop("hooks", None)
    config["docs_dir"] = str(docs)
    config["nav"] = yaml.safe_load(nav)
    config["theme"]["custom_dir"] = str(ROOT / "site_templates/overrides")
    config["markdown_extensions"] = [
        {
            "pymdownx.snippets": {
                "base_path": [str(docs.parent / "snippets")],
                "auto_append": ["abbreviations.md"],
            }
        }
        if isinstance(e, dict) and "pymdownx.snippets" in e
        else e
        for e in config["markdown_extensions"]
    ]
    cfg_path = workdir / "mkdocs-only.yml"
    cfg_path.write_text(yaml.safe_dump(config))
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(cfg_path),
            "-d",
            str(workdir / "site-mkdocs-only"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    mkdocs_only = time.perf_counter() - t0

    edits = measure_edit_visible(content, env)
    index = site / "search" / "search_index.json"
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "full_build_s": full,
        "generator_s": gen,
        "mkdocs_only_s": mkdocs_only,
        "generator_share": gen / mkdocs_only,
        **edits,
        "search_index_mb": index.stat().st_size / 1e6 if index.exists() else 0.0,
        "site_mb": total / 1e6,
        "pages": float(len(list(site.rglob("index.html")))),
    }


REBUILD_LOG = re.compile(
    r"guideline: (full|incremental) rebuild of (\d+) page\(s\) \((\d+) converted\) in "
    r"([\d.]+) s; generator ([\d.]+) s \(share [\d.]+; ([^)]+)\)"
)


BODY_EDITS = 3  # the median of three: one edit can meet a full garbage collection


def measure_edit_visible(content: Path, env: dict[str, str]) -> dict[str, float]:
    """Start `mkdocs serve` as `make serve` does; time edits until the served page shows them.

    Two kinds of edit to one entry: a sentence of its summary (its own page changes; made
    three times, the median reported) and its title (which every page shows in the
    navigation). For each: seconds from saving the file to the served page showing it, the
    generator's time and share of the rebuild it caused, whether the generator looked at
    the edited entry alone (1) or checked every page (0), and how many rebuilds it caused.
    """
    port = free_port()
    log_path = content.parent / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *SERVE_FLAGS, "-a", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    entry = content / "entries" / "ivig.yaml"
    if not entry.exists():
        entry = sorted((content / "entries").glob("*.yaml"))[0]
    url = f"http://127.0.0.1:{port}/therapies/{entry.stem}/"
    runs: dict[str, list[dict[str, float]]] = {"body": [], "title": []}
    try:
        _wait(url, "", timeout=1800)
        time.sleep(2)
        for n, name in enumerate(["body"] * BODY_EDITS + ["title"]):
            stamp = "".join(chr(ord("a") + int(d)) for d in str(int(time.time()))[-6:])
            marker = f"{name.title()}{stamp}{n}"
            before = log_path.stat().st_size
            text = entry.read_text()
            changed = _edit(name, text, marker)
            if changed == text:
                raise SystemExit(f"could not make the {name} edit in {entry}")
            entry.write_text(changed)
            t0 = time.perf_counter()
            _wait(url, marker, timeout=1800)
            figures = {"visible_s": time.perf_counter() - t0}
            time.sleep(3)  # any further rebuild the edit caused would start meanwhile
            with log_path.open() as handle:
                handle.seek(before)
                rebuilds = REBUILD_LOG.findall(handle.read())
            if rebuilds:
                total, gen = float(rebuilds[0][3]), float(rebuilds[0][4])
                figures |= {
                    "rebuild_s": total,
                    "generator_s": gen,
                    "generator_share": gen / total if total else 0.0,
                    "edited_entry_only": float(rebuilds[0][5] == "edited entries only"),
                    "pages_converted": float(rebuilds[0][2]),
                    "rebuilds": float(len(rebuilds)),
                }
            runs[name].append(figures)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    out: dict[str, float] = {}
    for name, measured in runs.items():
        for key in measured[0]:
            out[f"edit_{name}_{key}"] = statistics.median(m[key] for m in measured if key in m)
    return out


def _edit(name: str, text: str, marker: str) -> str:
    if name == "body":
        return re.sub(
            r"^(summary:\n  text: (?:>-\n    )?)",
            rf"\g<1>{marker} ",
            text,
            count=1,
            flags=re.MULTILINE,
        )
    return re.sub(r"^title: (.+)$", rf"title: \g<1> {marker}", text, count=1, flags=re.MULTILINE)


def _wait(url: str, marker: str, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if marker in urllib.request.urlopen(url, timeout=600).read().decode():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{marker!r} did not appear at {url} within {timeout} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.bench_scale")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single scale, as JSON
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_scale(args.one)))
        return 0
    rows = []
    for factor in (int(s) for s in args.scales.split(",")):
        # Each scale in its own process, so its peak memory is its own.
        child = subprocess.run(
            [sys.executable, "-m", "build_tools.bench_scale", "--one", str(factor)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        rows.append((factor, figures))
        print(
            f"{factor:>4}x  " + "  ".join(f"{k}={v:.3f}" for k, v in figures.items()),
            flush=True,
        )
    if len(rows) > 1:
        base_f, base = rows[0]
        for factor, fig in rows[1:]:
            per = fig["full_build_s"] / base["full_build_s"] / (factor / base_f)
            print(
                f"{factor}x: build cost per unit of content relative to {base_f}x: {per:.2f} "
                "(1.00 = linear)"
            )
    print(
        "targets: linear growth; generator share <= 0.25; a one-entry edit visible <= 2 s at "
        "1x; the generator's share of an edit's rebuild flat from 1x to 100x"
    )
    return 0


def run_scale(factor: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{factor}x-") as tmp:
        work = Path(tmp)
        content = work / "content"
        synthesise(Settings.from_environment().content, content, factor)
        figures = measure_scale(content, work)
    figures["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


if __name__ == "__main__":
    sys.exit(main())
