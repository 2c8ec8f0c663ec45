"""Browser harness: a built site served on loopback, and Debian's Chromium via Playwright.

Browsers refuse Pyodide from file://, so every browser test goes through a real HTTP
server; Chromium is the distribution's (no browser download is possible or wanted).
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import FIXTURE_CONTENT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_SITEMAP_ORIGIN = re.compile(rb"<loc>https?://[^/<]+")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - class attribute of the stdlib handler
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        """Serve sitemap.xml as if the site were deployed here.

        The theme's instant navigation only intercepts links listed in sitemap.xml, after
        replacing each URL's scheme and host (not its port) with the page's. The test
        server runs on a random port, so the site_url origin is swapped for ours.
        """
        if self.path.split("?")[0] != "/sitemap.xml":
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            return super().send_head()
        host, port = self.server.server_address[:2]
        origin = f"<loc>http://{host}:{port}".encode()
        body = _SITEMAP_ORIGIN.sub(origin, path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@dataclass
class Server:
    """A static server for one folder; `stop()` simulates the network going away."""

    root: Path
    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def serve(root: Path) -> Server:
    handler = functools.partial(_QuietHandler, directory=str(root))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return Server(root, httpd, thread)


@pytest.fixture(scope="session")
def served_site(real_site: Path) -> Iterator[Server]:
    server = serve(real_site)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def served_fixture_site(fixture_site: Path) -> Iterator[Server]:
    server = serve(fixture_site)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site_under_test(request: pytest.FixtureRequest) -> Path:
    """The site built from the corpus GUIDELINE_CONTENT names (content/ when unset).

    While content/ is mid-edit, `GUIDELINE_CONTENT=tests/fixtures/content pytest ...`
    runs the same tests against the fixture corpus' site.
    """
    chosen = os.environ.get("GUIDELINE_CONTENT")
    if chosen and Path(chosen).resolve() == FIXTURE_CONTENT.resolve():
        return Path(request.getfixturevalue("fixture_site"))
    return Path(request.getfixturevalue("real_site"))


@pytest.fixture(scope="session")
def served_site_under_test(site_under_test: Path) -> Iterator[Server]:
    server = serve(site_under_test)
    yield server
    server.stop()


@pytest.fixture
def private_server() -> Iterator[Callable[[Path], Server]]:
    """Start servers a test may stop (e.g. to cut the network); all are stopped afterwards."""
    started: list[Server] = []

    def start(root: Path) -> Server:
        server = serve(root)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.thread.is_alive():
            server.stop()


def launch_chromium(pw: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing phoning home."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        instance = launch_chromium(pw)
        yield instance
        instance.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
