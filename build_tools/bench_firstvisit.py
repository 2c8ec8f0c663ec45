"""`make bench`, first visits: a calculator on a phone-like connection, printed, never asserted.

A clinician opens a calculator link on a phone, often for the first time. This benchmark
reproduces that in Debian's Chromium, throttled through the DevTools protocol (network:
`Network.emulateNetworkConditions`; CPU: `Emulation.setCPUThrottlingRate`, 4x), against a
server on loopback that behaves like a static host: it compresses responses with gzip on
the fly and serves a precompressed `.br`/`.gz` copy of a file when the site has one.

For each network profile it measures, in the same run and on the same server:

* **bare**: a page that only calls `loadPyodide` in a module worker, from the npm package
  exactly as published (full standard library). The floor a calculator is held against.
* **before** (when a site built from the code before the first-visit work is given, or
  `--before-commit` can build one): the calculator page as it was.
* **after**: the calculator page of the site under test.

Each page: time from navigation to the first result (the calculator's first result for a
link carrying a worked example's inputs; the bare page's runtime being ready), and bytes
transferred, on a first visit (fresh browser profile: empty HTTP and service-worker
caches) and on a second visit (same profile, page opened again).

Then the path a reader takes from a therapy page: open a therapy page that links a
calculator, stay on it while the browser is idle, follow the link, and time until the
calculator is ready and shows its first result. The link is followed, and the result
awaited, from inside the page (FOLLOW_LINK): the driver's own clicking and polling ran on
the throttled main thread and took time a reader's phone does not spend. And the runtime
bytes a page without a calculator link transfers.

Timings depend on the machine, so they are printed, with ratios measured in the same run;
tests never assert them. Bytes are what the server sent, headers included.

CPU throttling reaches the page's main thread only: Chromium refuses
`Emulation.setCPUThrottlingRate` for worker targets ("only supported for pages"), so the
runtime's start-up in its worker runs at this machine's speed, for the bare page and the
calculators alike. The load average is printed with the figures: on a busy machine every
figure grows, the ratios much less.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_tools.bench import CHROMIUM, CHROMIUM_ARGS  # one browser setup for every bench
from build_tools.bench_host import BARE_PREFIX, Host

ROOT = Path(__file__).resolve().parent.parent
# The commit before the first-visit work (trimmed standard library, precompressed runtime,
# preloading, fetching ahead): `make bench` builds it to print the "before" figures.
BEFORE_COMMIT = "13439cd"
CPU_SLOWDOWN = 4
TIMEOUT_MS = 240_000


@dataclass(frozen=True)
class Profile:
    """A network profile for Network.emulateNetworkConditions."""

    name: str
    mbps: float
    latency_ms: float

    def conditions(self) -> dict[str, Any]:
        rate = self.mbps * 1_000_000 / 8  # bytes per second
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": rate,
            "uploadThroughput": rate,
        }


PROFILES: Mapping[str, Profile] = {
    "4g": Profile("4G (10 Mbps, 40 ms)", 10.0, 40.0),
    "slow4g": Profile("slow 4G (1.6 Mbps, 150 ms)", 1.6, 150.0),
}

FIRST_RESULT_PROBE = """
new MutationObserver((changes, observer) => {
  for (const change of changes) {
    if (change.target.dataset && change.target.dataset.result === "ok") {
      document.documentElement.dataset.firstResultAt = performance.now().toFixed(1);
      observer.disconnect();
      return;
    }
  }
}).observe(document, { attributes: true, attributeFilter: ["data-result"], subtree: true });
"""


def _runtime_bytes(sent: dict[str, int]) -> int:
    return sum(n for path, n in sent.items() if "/pyodide/" in path or path.endswith(".whl"))


@dataclass
class Visit:
    ms: float
    total: int
    runtime: int


@dataclass
class Figures:
    first: list[Visit] = field(default_factory=list)
    second: list[Visit] = field(default_factory=list)

    @staticmethod
    def _med(values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    def ms(self, which: str) -> float:
        return self._med([v.ms for v in getattr(self, which)])

    def total(self, which: str) -> float:
        return self._med([float(v.total) for v in getattr(self, which)])


@contextmanager
def _throttled(browser: Any, profile: Profile) -> Iterator[tuple[Any, Any]]:
    """A fresh context (empty caches) with one page, throttled before anything loads."""
    context = browser.new_context()
    context.add_init_script(FIRST_RESULT_PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", profile.conditions())
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    try:
        yield context, page
    finally:
        context.close()


def _time_to_result(page: Any, bare: bool) -> float:
    if bare:
        page.wait_for_selector("body[data-state=ready]", state="attached", timeout=TIMEOUT_MS)
        return float(page.get_attribute("body", "data-ready-at") or "nan")
    page.wait_for_selector("html[data-first-result-at]", state="attached", timeout=TIMEOUT_MS)
    return float(page.get_attribute("html", "data-first-result-at") or "nan")


def _visit(page: Any, host: Host, url: str, bare: bool) -> Visit:
    host.take()
    page.goto(url, wait_until="commit")
    ms = _time_to_result(page, bare)
    page.wait_for_load_state("networkidle")
    sent = host.take()
    return Visit(ms, sum(sent.values()), _runtime_bytes(sent))


def _example_fragment(site: Path, calculator: str) -> str:
    html = (site / "calculators" / calculator / "index.html").read_text("utf-8")
    match = re.search(r'data-load-example="(#calc\?[^"]+)"', html)
    if match is None:
        raise SystemExit(f"{calculator}: the page has no worked example to load")
    return match.group(1).replace("&amp;", "&")


def _therapy_link(site: Path) -> tuple[str, str]:
    """A therapy page that links a calculator, and that calculator's id."""
    for page in sorted((site / "therapies").glob("*/index.html")):
        match = re.search(
            r'<article.*?href="[./]*calculators/([a-z0-9_]+)/"', page.read_text("utf-8"), re.S
        )
        if match:
            return page.parent.relative_to(site).as_posix() + "/", match.group(1)
    raise SystemExit(f"{site}: no therapy page links a calculator")


def measure_pages(
    browser: Any, sites: dict[str, Path], profile: Profile, calculator: str, runs: int
) -> dict[str, Figures]:
    """First and second visits to the bare page and each site's calculator, alternating."""
    results = {name: Figures() for name in ["bare", *sites]}
    hosts = {name: Host(site) for name, site in sites.items()}
    try:
        for _ in range(runs):
            for name, figures in results.items():
                host = hosts[name] if name != "bare" else hosts[next(iter(hosts))]
                if name == "bare":
                    url, bare = host.base + BARE_PREFIX + "bare.html", True
                else:
                    url = f"{host.base}/calculators/{calculator}/" + _example_fragment(
                        sites[name], calculator
                    )
                    bare = False
                with _throttled(browser, profile) as (_, page):
                    figures.first.append(_visit(page, host, url, bare))
                    if not bare:  # let the service worker keep what the page used
                        page.wait_for_timeout(1500)
                        page.wait_for_load_state("networkidle")
                    page.goto("about:blank")
                    figures.second.append(_visit(page, host, url, bare))
    finally:
        for host in hosts.values():
            host.close()
    return results


# Installed on the therapy page just before its calculator link is followed: when the link
# is clicked, and, once the calculator's fields are usable, its first worked example entered
# (its "Load example" button), all inside the page, so the browser driver's own latency is
# in none of the figures.
LINK_PROBE = """
() => {
  const html = document.documentElement;
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("article a[href*='calculators/']")) {
      html.dataset.linkAt = performance.now().toFixed(1);
    }
  }, { capture: true, once: true });
  new MutationObserver((changes, observer) => {
    const ready = document.querySelector("[data-calculator-root][data-state=ready]");
    const example = document.querySelector("[data-load-example]");
    if (ready && example) {
      observer.disconnect();
      example.click();
    }
  }).observe(document, { attributes: true, attributeFilter: ["data-state"], subtree: true });
}
"""


# Follows the link from inside the page and resolves once the calculator's first result is
# recorded. The browser driver neither clicks (its checks before a click run in the page)
# nor waits with a selector (it polls the page at every frame): on a page slowed 4x, both
# took main-thread time a reader's phone does not spend.
FOLLOW_LINK = """
([selector, timeout]) => new Promise((resolve, reject) => {
  const html = document.documentElement;
  const timer = setTimeout(() => reject(new Error(`no result within ${timeout} ms`)), timeout);
  const observer = new MutationObserver(() => {
    if (html.dataset.firstResultAt) {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
  });
  observer.observe(html, { attributes: true, attributeFilter: ["data-first-result-at"] });
  document.querySelector(selector).click();
})
"""


@dataclass
class LinkVisit:
    """One reader's path: a therapy page, then its calculator link followed."""

    ready_ms: float  # link followed → the calculator's fields usable
    result_ms: float  # link followed → its first result (inputs entered at once)
    ahead_bytes: int  # runtime bytes fetched while on the therapy page
    route: str
    runtime: str  # "warm": the calculator found the runtime running; "cold": it started it


def measure_link(browser: Any, site: Path, profile: Profile, dwell_ms: int) -> LinkVisit:
    """Therapy page (`dwell_ms` on it, or until the runtime is ready) → its calculator link.

    After the link is followed, the calculator's first worked example is entered at once
    (its "Load example" button, as soon as the fields are usable), so the time to the first
    result is the calculator's own, not a reader's typing.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    therapy, calculator = _therapy_link(site)
    host = Host(site)
    root = "[data-calculator-root]"
    try:
        with _throttled(browser, profile) as (_, page):
            page.goto(f"{host.base}/{therapy}")
            try:  # the reader reads; the runtime may start meanwhile (calculator-ahead.js)
                page.wait_for_selector(
                    "html[data-calculator-runtime=ready]", state="attached", timeout=dwell_ms
                )
                ahead = f"runtime ready {page.evaluate('performance.now()') / 1000:.1f} s after"
                ahead += " the page was opened"
            except PlaywrightTimeout:
                ahead = f"link followed {dwell_ms / 1000:.0f} s after the page was opened"
                ahead += ", runtime not ready yet"
            if page.get_attribute("html", "data-calculator-runtime") == "ready":
                page.wait_for_load_state("networkidle")
            runtime = _runtime_bytes(host.take())
            page.evaluate(LINK_PROBE)
            link = f"article a[href$='calculators/{calculator}/']"
            page.evaluate(FOLLOW_LINK, [link, TIMEOUT_MS])
            # All on the document's clock: instant navigation keeps the therapy page's document.
            start = float(page.get_attribute("html", "data-link-at") or "nan")
            ready = float(page.get_attribute(root, "data-ready-at") or "nan")
            result = float(page.get_attribute("html", "data-first-result-at") or "nan")
            state = page.get_attribute(root, "data-runtime") or "?"
            return LinkVisit(
                ready - start, result - start, runtime, f"{therapy} → {calculator}; {ahead}", state
            )
    finally:
        host.close()


def measure_plain(browser: Any, site: Path, plain: str, profile: Profile) -> int:
    host = Host(site)
    try:
        with _throttled(browser, profile) as (_, page):
            page.goto(f"{host.base}/{plain}", wait_until="networkidle")
            page.wait_for_timeout(3000)
            page.wait_for_load_state("networkidle")
            return _runtime_bytes(host.take())
    finally:
        host.close()


def build_before(commit: str, out: Path) -> Path | None:
    """Build the site as it was at `commit` into `out` (the "before" figures); None if absent."""
    if (out / "index.html").is_file() and (out / ".commit").read_text() == commit:
        return out
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        print(f"(no 'before' site: commit {commit} is not in this repository)")
        return None
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
        (tree / "node_modules").symlink_to(ROOT / "node_modules")
        shutil.rmtree(out, ignore_errors=True)
        build = subprocess.run(
            [sys.executable, "-m", "build_tools", "build", "--no-editions", "--site", str(out)],
            cwd=tree,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(tree)},
        )
        if build.returncode != 0:
            print(f"(no 'before' site: building {commit} failed)\n{build.stderr[-2000:]}")
            return None
    (out / ".commit").write_text(commit)
    return out


def _mb(n: float) -> str:
    return f"{n / 1_000_000:5.2f} MB"


def report(profile: Profile, results: dict[str, Figures]) -> None:
    bare = results["bare"]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"\n{profile.name}, page CPU {CPU_SLOWDOWN}x slower  "
        f"(medians of {len(bare.first)} run(s); load average {load})"
    )
    print(f"  {'':<8} {'first visit':>24} {'second visit':>24}   first result vs bare")
    for name, fig in results.items():
        ratio = fig.ms("first") / bare.ms("first")
        print(
            f"  {name:<8} {fig.ms('first'):7.0f} ms {_mb(fig.total('first'))}   "
            f"{fig.ms('second'):7.0f} ms {_mb(fig.total('second'))}   "
            f"{ratio:4.2f}"
        )
    if "before" in results and "after" in results:
        before, after = results["before"], results["after"]
        share = after.total("first") / before.total("first")
        print(
            f"  first-visit transfer after/before {share:.2f} "
            f"({1 - share:.0%} smaller; target ≥ 40 %: {'ok' if share <= 0.6 else 'MISSED'})"
        )
    if "after" in results:
        ratio = results["after"].ms("first") / bare.ms("first")
        print(
            f"  first result after / bare loadPyodide {ratio:.2f} "
            f"(target ≤ 1.00: {'ok' if ratio <= 1.0 else 'MISSED'})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m build_tools.bench_firstvisit", description=__doc__
    )
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (after)")
    parser.add_argument("--before", type=Path, help="a site built before the first-visit work")
    parser.add_argument(
        "--before-commit",
        default=BEFORE_COMMIT,
        help="build the 'before' site from this commit when --before is not given ('' skips it)",
    )
    parser.add_argument("--calculator", default="bsa_mosteller", help="calculator to time")
    parser.add_argument("--plain", default="references/", help="a page without a calculator")
    parser.add_argument(
        "--profiles", default="4g,slow4g", help="comma-separated: 4g, slow4g ('' for none)"
    )
    parser.add_argument("--runs", type=int, default=3, help="repetitions on 4G (medians)")
    parser.add_argument("--slow-runs", type=int, default=1, help="repetitions on slow 4G")
    parser.add_argument(
        "--dwell", type=int, default=30_000, help="most ms spent on the therapy page"
    )
    parser.add_argument(
        "--short-dwell",
        type=int,
        default=3_000,
        help="ms on the therapy page for a reader who follows the link at once",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    site = args.site.resolve()
    if not (site / "calculators" / args.calculator / "index.html").is_file():
        print(f"{site}/calculators/{args.calculator}/ not found: build first (make site)")
        return 2
    sites: dict[str, Path] = {}
    before = args.before
    if before is None and args.before_commit:
        before = build_before(args.before_commit, ROOT / "build" / "bench-before")
    if before is not None:
        sites["before"] = before.resolve()
    sites["after"] = site
    print(f"first visits, throttled: after = {site}" + (f", before = {before}" if before else ""))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for key in filter(None, args.profiles.split(",")):  # '' times no page alone
            profile = PROFILES[key]
            runs = args.runs if key == "4g" else args.slow_runs
            report(profile, measure_pages(browser, sites, profile, args.calculator, runs))
        profile = PROFILES["4g"]
        for dwell in (args.dwell, args.short_dwell):
            print(
                f"\nfrom a therapy page, {profile.name}, CPU {CPU_SLOWDOWN}x, up to "
                f"{dwell / 1000:.0f} s on the page (medians of {args.runs} run(s)):"
            )
            for name, path in sites.items():
                visits = [measure_link(browser, path, profile, dwell) for _ in range(args.runs)]
                ready = statistics.median(v.ready_ms for v in visits)
                result = statistics.median(v.result_ms for v in visits)
                fetched = statistics.median(v.ahead_bytes for v in visits)
                mark = "ok" if result <= 1000 else "MISSED"
                states = "/".join(sorted({v.runtime for v in visits}))
                print(
                    f"  {name:<8} link → first result {result:7.0f} ms (target ≤ 1000 ms: {mark}); "
                    f"→ fields usable {ready:7.0f} ms; runtime {states}; "
                    f"fetched ahead {_mb(fetched)}\n  {'':<8} [{visits[0].route}]"
                )
        for name, path in sites.items():
            runtime = measure_plain(browser, path, args.plain, profile)
            print(
                f"  {name:<8} runtime bytes on /{args.plain} {runtime:,} "
                f"(target 0: {'ok' if runtime == 0 else 'MISSED'})"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
