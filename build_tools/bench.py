"""`make bench`: how fast the calculators are in a real browser, printed, never asserted.

Serves a built site on loopback and drives Debian's Chromium through Playwright:

* navigation → calculator ready, with a cold cache and a warm one, beside a bare page
  that only calls `loadPyodide` in a worker (same server, same run), as a ratio: the
  runtime's own start-up is the floor, and the widget should add little to it;
* time per recompute (worker round trip, and the Python call alone);
* bytes transferred for a calculator page and for a page without one (which must load
  zero Pyodide bytes);
* click on a link to a second calculator page → that calculator ready (instant
  navigation keeps the worker alive, so this should not include any start-up).

Timings vary by machine, so tests never assert them; this prints them against targets.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import re
import socket
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"  # as published (bench_host serves it too)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS: Sequence[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_READY_RATIO = 1.25
TARGET_SECOND_PAGE_MS = 200.0
TARGET_RECOMPUTE_MS = 50.0
READY_TIMEOUT_MS = 120_000
BARE_PATH = "/__bench__/bare.html"
BARE_WORKER_PATH = "/__bench__/bare-worker.mjs"
# The bare page: nothing but a module worker calling loadPyodide, from the npm package
# exactly as published (the site's own folder holds a trimmed standard library, which a
# bare loadPyodide does not ask for), served under /__bench__/pyodide/.
BARE_RUNTIME_PREFIX = "/__bench__/pyodide/"
BARE_PAGE = b"""<!doctype html><meta charset="utf-8"><title>bare loadPyodide</title>
<body data-state="loading"><script type="module">
const worker = new Worker("bare-worker.mjs", { type: "module" });
worker.onmessage = () => {
  document.body.dataset.readyAt = performance.now().toFixed(1);
  document.body.dataset.state = "ready";
};
</script></body>"""
BARE_WORKER = b"""import { loadPyodide } from "./pyodide/pyodide.mjs";
await loadPyodide({ indexURL: new URL("./pyodide/", import.meta.url).href });
postMessage("ready");
"""
_SITEMAP_ORIGIN = re.compile(rb"<loc>https?://[^/<]+")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, the bare page, and sitemap.xml rewritten to this server's origin."""

    extensions_map = {  # noqa: RUF012 - class attribute of the stdlib handler
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _body(self, body: bytes, kind: str) -> io.BytesIO:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_head(self) -> Any:
        path = self.path.split("?")[0]
        if path == BARE_PATH:
            return self._body(BARE_PAGE, "text/html; charset=utf-8")
        if path == BARE_WORKER_PATH:
            return self._body(BARE_WORKER, "text/javascript")
        if path.startswith(BARE_RUNTIME_PREFIX):
            name = path.removeprefix(BARE_RUNTIME_PREFIX)
            file = NPM_PYODIDE / name
            if "/" not in name and file.is_file():
                kind = self.extensions_map.get(file.suffix, "application/octet-stream")
                return self._body(file.read_bytes(), kind)
        if path == "/sitemap.xml":
            # The theme's instant navigation matches links against sitemap.xml with the
            # page's host but the sitemap's port; serve it as if deployed here.
            file = Path(self.translate_path(self.path))
            if file.is_file():
                address = self.server.server_address
                assert isinstance(address, tuple)  # an IPv4 (host, port) pair
                origin = f"<loc>http://{address[0]}:{address[1]}".encode()
                return self._body(_SITEMAP_ORIGIN.sub(origin, file.read_bytes()), "application/xml")
        return super().send_head()


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = functools.partial(_Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{port}"


@dataclass
class Traffic:
    """Bytes received by one page, in total and from the Pyodide runtime folder."""

    total: int = 0
    pyodide: int = 0
    requests: list[str] = field(default_factory=list)

    def record(self, request: Any) -> None:
        try:
            sizes = request.sizes()
        except Exception:  # a request that failed or was cancelled has no sizes
            return
        size = int(sizes.get("responseBodySize", 0)) + int(sizes.get("responseHeadersSize", 0))
        self.total += max(size, 0)
        self.requests.append(request.url)
        if "/pyodide/" in request.url:
            self.pyodide += max(size, 0)


def _ready_at(page: Any, selector: str) -> float:
    page.wait_for_selector(
        f"{selector}[data-state=ready]", state="attached", timeout=READY_TIMEOUT_MS
    )
    return float(page.get_attribute(selector, "data-ready-at") or "nan")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def run(site: Path, calculator: str, second: str, plain: str, runs: int) -> int:
    from playwright.sync_api import sync_playwright

    if not (site / "calculators" / calculator / "index.html").is_file():
        print(f"{site}/calculators/{calculator}/ not found: build first (make site)")
        return 2
    sitemap = site / "sitemap.xml"
    instant = sitemap.is_file() and b"<loc>" in sitemap.read_bytes()
    httpd, base = _serve(site)
    calc_url = f"{base}/calculators/{calculator}/"
    root = "[data-calculator-root]"
    results: dict[str, list[float]] = {
        k: [] for k in ("calc_cold", "calc_warm", "bare_cold", "bare_warm")
    }
    recompute_trip: list[float] = []
    recompute_py: list[float] = []
    second_ms: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                # Bare loadPyodide and the calculator, each cold then warm, alternating.
                for key, url, selector in (
                    ("bare", base + BARE_PATH, "body"),
                    ("calc", calc_url, root),
                ):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(url)
                    results[f"{key}_cold"].append(_ready_at(page, selector))
                    if key == "calc":  # let the service worker finish keeping the files
                        page.wait_for_selector(f"{root}[data-offline]", timeout=30_000)
                    page.goto("about:blank")
                    page.goto(url)
                    results[f"{key}_warm"].append(_ready_at(page, selector))
                    context.close()

            context = browser.new_context()
            page = context.new_page()
            traffic_calc = Traffic()
            page.on("requestfinished", traffic_calc.record)
            page.goto(calc_url)
            _ready_at(page, root)
            page.wait_for_load_state("networkidle")
            page.remove_listener("requestfinished", traffic_calc.record)

            # Recompute: type a value, wait for the result of that very request.
            field_name = page.locator(f"form[data-calculator='{calculator}'] input[type=text]")
            first = field_name.first
            for i in range(20):
                seq_before = page.get_attribute(root, "data-seq")
                first.fill(str(100 + i))
                deadline = time.monotonic() + 10
                while page.get_attribute(root, "data-seq") == seq_before:
                    if time.monotonic() > deadline:
                        break
                    page.wait_for_timeout(5)
                recompute_trip.append(float(page.get_attribute(root, "data-roundtrip-ms") or "nan"))
                recompute_py.append(float(page.get_attribute(root, "data-compute-ms") or "nan"))

            # Second calculator page through a link (instant navigation when enabled).
            for _ in range(runs):
                page.goto(calc_url)
                _ready_at(page, root)
                link = page.locator(f"article a[href$='calculators/{second}/']").first
                # Absolute times: without instant navigation the link loads a new document
                # with its own clock, and that reload is exactly what should show.
                start = float(page.evaluate("performance.timeOrigin + performance.now()"))
                link.click()
                page.wait_for_selector(f"form[data-calculator='{second}']", state="attached")
                ready = _ready_at(page, root) + float(page.evaluate("performance.timeOrigin"))
                second_ms.append(ready - start)
            context.close()

            context = browser.new_context()
            page = context.new_page()
            traffic_plain = Traffic()
            page.on("requestfinished", traffic_plain.record)
            page.goto(f"{base}/{plain}", wait_until="networkidle")
            context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()

    calc_cold, calc_warm = _median(results["calc_cold"]), _median(results["calc_warm"])
    bare_cold, bare_warm = _median(results["bare_cold"]), _median(results["bare_warm"])
    ratio_cold, ratio_warm = calc_cold / bare_cold, calc_warm / bare_warm
    trip = _median(recompute_trip)
    second_page = _median(second_ms)
    print(f"site {site}  (medians of {runs} run(s); calculator {calculator})")
    print(
        f"navigation → ready, cold cache   calculator {calc_cold:7.0f} ms   bare loadPyodide "
        f"{bare_cold:7.0f} ms   ratio {ratio_cold:.2f}  (target ≤ {TARGET_READY_RATIO}: "
        f"{_mark(ratio_cold <= TARGET_READY_RATIO)})"
    )
    print(
        f"navigation → ready, warm cache   calculator {calc_warm:7.0f} ms   bare loadPyodide "
        f"{bare_warm:7.0f} ms   ratio {ratio_warm:.2f}  (target ≤ {TARGET_READY_RATIO}: "
        f"{_mark(ratio_warm <= TARGET_READY_RATIO)})"
    )
    print(
        f"recompute (median of {len(recompute_trip)})        round trip {trip:6.1f} ms, "
        f"Python {_median(recompute_py):6.1f} ms  (target < {TARGET_RECOMPUTE_MS:.0f} ms: "
        f"{_mark(trip < TARGET_RECOMPUTE_MS)})"
    )
    print(
        f"bytes, calculator page           {traffic_calc.total:>10,}  "
        f"(Pyodide {traffic_calc.pyodide:,})"
    )
    print(
        f"bytes, /{plain:<24} {traffic_plain.total:>10,}  (Pyodide {traffic_plain.pyodide:,}; "
        f"target 0: {_mark(traffic_plain.pyodide == 0)})"
    )
    note = "" if instant else "  [instant navigation off: mkdocs.yml has no site_url]"
    print(
        f"link → second calculator ready   {second_page:7.0f} ms  (target ≤ "
        f"{TARGET_SECOND_PAGE_MS:.0f} ms: {_mark(second_page <= TARGET_SECOND_PAGE_MS)}){note}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.bench", description=__doc__)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site folder")
    parser.add_argument("--calculator", default="bsa_mosteller", help="calculator to time")
    parser.add_argument("--second", default="bsa_dubois", help="calculator linked from it")
    parser.add_argument("--plain", default="references/", help="a page without a calculator")
    parser.add_argument("--runs", type=int, default=3, help="repetitions (medians printed)")
    args = parser.parse_args(argv)
    return run(args.site.resolve(), args.calculator, args.second, args.plain, args.runs)


if __name__ == "__main__":
    sys.exit(main())
