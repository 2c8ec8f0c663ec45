"""Check a deployed copy of the site: what a static host must get right for it to work.

`python -m build_tools check-deploy https://guideline.example.org/myositis/` fetches the
pages and files whose failure a reader would notice only at the bedside: the pages and their
Content-Security-Policy (served in the page itself, so any host keeps it), the service worker
(offline use), the calculator runtime (WebAssembly must be served as `application/wasm`, or
browsers refuse to compile it as a stream) and the calculators wheel named by the lock file,
and the FHIR Bundle. Every problem is listed, then the exit status says whether there was one.
Compression is reported, not required.
"""

from __future__ import annotations

import gzip
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')
PAGES = ("", "calculators/", "references/")
TIMEOUT_S = 20
JAVASCRIPT = ("text/javascript", "application/javascript")


@dataclass
class Fetched:
    status: int
    content_type: str
    encoding: str
    body: bytes


@dataclass
class Report:
    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return (
            [f"ok: {line}" for line in self.ok]
            + [f"note: {line}" for line in self.notes]
            + [f"problem: {line}" for line in self.problems]
        )


def fetch(url: str) -> Fetched:
    """One request, asking for gzip as a browser would; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding", "") or ""
            if encoding == "gzip":
                body = gzip.decompress(body)
            return Fetched(response.status, response.headers.get_content_type(), encoding, body)
    except urllib.error.HTTPError as exc:
        return Fetched(exc.code, "", "", b"")


def check_deployment(base: str, get: Callable[[str], Fetched] = fetch) -> Report:
    """Everything this module checks, against the site published at `base`."""
    base = base.rstrip("/") + "/"
    report = Report()
    for path in PAGES:
        page = get(base + path)
        where = f"/{path}"
        if page.status != 200 or page.content_type != "text/html":
            report.problems.append(f"{where}: HTTP {page.status}, {page.content_type or 'no type'}")
            continue
        policy = CSP.search(page.body.decode("utf-8", "replace"))
        if policy is None:
            report.problems.append(f"{where}: no Content-Security-Policy in the page")
        elif "'wasm-unsafe-eval'" not in policy.group(1) and path == "calculators/":
            report.problems.append(
                f"{where}: the policy lacks 'wasm-unsafe-eval' (the calculators would hang)"
            )
        else:
            report.ok.append(f"{where}: page and its Content-Security-Policy")
        if page.encoding != "gzip" and path == "":
            report.notes.append("pages are served uncompressed: enable gzip or brotli on the host")
    worker = get(base + "sw.js")
    if worker.status == 200 and worker.content_type in JAVASCRIPT:
        report.ok.append("/sw.js: service worker, served as JavaScript")
    else:
        report.problems.append(f"/sw.js: HTTP {worker.status}, {worker.content_type or 'no type'}")
    wasm = get(base + "pyodide/pyodide.asm.wasm")
    if wasm.status != 200:
        report.problems.append(f"/pyodide/pyodide.asm.wasm: HTTP {wasm.status}")
    elif wasm.content_type != "application/wasm":
        report.problems.append(
            f"/pyodide/pyodide.asm.wasm: served as {wasm.content_type or 'no type'}, "
            "must be application/wasm"
        )
    else:
        report.ok.append("/pyodide/pyodide.asm.wasm: runtime, served as application/wasm")
    lock = get(base + "pyodide/pyodide-lock.json")
    try:
        packages = json.loads(lock.body)["packages"] if lock.status == 200 else None
    except (ValueError, KeyError):
        packages = None
    if not packages:
        report.problems.append(f"/pyodide/pyodide-lock.json: HTTP {lock.status} or unreadable")
    else:
        for package in packages.values():
            name = package["file_name"]
            wheel = get(base + "pyodide/" + name)
            if wheel.status == 200:
                report.ok.append(f"/pyodide/{name}: calculators wheel")
            else:
                report.problems.append(f"/pyodide/{name}: HTTP {wheel.status}")
    bundle = get(base + "fhir/guideline.json")
    try:
        kind = json.loads(bundle.body).get("resourceType") if bundle.status == 200 else None
    except ValueError:
        kind = None
    if kind == "Bundle":
        report.ok.append("/fhir/guideline.json: FHIR Bundle")
    else:
        report.problems.append(f"/fhir/guideline.json: HTTP {bundle.status} or not a Bundle")
    return report
