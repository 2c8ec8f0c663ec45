"""The benchmark's static host: what an ordinary host sends a first-time visitor.

It compresses responses with gzip on the fly and serves a precompressed `.br`/`.gz` copy of
a file when the site has one, answers If-Modified-Since, and counts the bytes it sends by
path, so `bench_firstvisit` can report bytes transferred beside its timings. It also serves
the bare `loadPyodide` page, from the npm package exactly as published, under BARE_PREFIX.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import re
import socket
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"

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
BARE_PREFIX = "/__bare__/"

# Recorded in the page before any of its scripts run: when the calculator first showed
# a result (data-result="ok"), on the document's clock.
_SITEMAP_ORIGIN = re.compile(rb"<loc>https?://[^/<]+")
_COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt", ".zip")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host: precompressed copies when present, else gzip on the fly; Last-Modified.

    Like common static hosts, responses may be cached for a short while (max-age=600) and
    are revalidated with If-Modified-Since after that.
    """

    extensions_map = {  # noqa: RUF012 - class attribute of the stdlib handler
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".zip": "application/zip",
    }
    # Set per server: the bytes actually sent, by URL path (headers included).
    sent: dict[str, int]
    sent_lock: threading.Lock

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _file(self, path: str) -> Path | None:
        if path.startswith(BARE_PREFIX + "pyodide/"):
            file = NPM_PYODIDE / path.removeprefix(BARE_PREFIX + "pyodide/")
        else:
            file = Path(self.translate_path(path))
            if file.is_dir():
                file = file / "index.html"
        return file if file.is_file() else None

    def _send(self, body: bytes, kind: str, encoding: str | None, modified: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0].split("#")[0]
        accepts = self.headers.get("Accept-Encoding", "")
        if path == BARE_PREFIX + "bare.html":
            body, kind, modified = BARE_PAGE, "text/html; charset=utf-8", 0.0
        elif path == BARE_PREFIX + "bare-worker.mjs":
            body, kind, modified = BARE_WORKER, "text/javascript", 0.0
        else:
            file = self._file(path)
            if file is None:
                self.send_error(404)
                return
            modified = file.stat().st_mtime
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    then = email.utils.parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    then = 0.0
                if int(modified) <= int(then):
                    self.send_response(304)
                    self.end_headers()
                    self._count(path, 200)
                    return
            kind = self.guess_type(str(file))
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                copy = file.with_name(file.name + suffix)
                if encoding in accepts and copy.is_file() and path != "/sitemap.xml":
                    body = copy.read_bytes()
                    self._send(body, kind, encoding, modified)
                    self._count(path, len(body) + 300)
                    return
            body = file.read_bytes()
            if path == "/sitemap.xml":
                # Instant navigation matches links against sitemap.xml with the page's
                # host but the sitemap's port; serve it as if deployed here.
                address = self.server.server_address
                assert isinstance(address, tuple)  # an IPv4 (host, port) pair
                origin = f"<loc>http://{address[0]}:{address[1]}".encode()
                body = _SITEMAP_ORIGIN.sub(origin, body)
        compressible = path.endswith((*_COMPRESSIBLE, "/")) or kind.startswith("text/")
        if "gzip" in accepts and compressible:
            body = gzip.compress(body, 6, mtime=0)
            self._send(body, kind, "gzip", modified)
        else:
            self._send(body, kind, None, modified)
        self._count(path, len(body) + 300)

    def _count(self, path: str, size: int) -> None:
        with self.sent_lock:
            self.sent[path] = self.sent.get(path, 0) + size


class Host:
    """The server for one site, counting the bytes it sends."""

    def __init__(self, site: Path) -> None:
        self.sent: dict[str, int] = {}
        lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"sent": self.sent, "sent_lock": lock})
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(site))
        )
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{port}"

    def take(self) -> dict[str, int]:
        """The bytes sent since the last call, by path."""
        sent = dict(self.sent)
        self.sent.clear()
        return sent

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
