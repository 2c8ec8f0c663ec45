#!/usr/bin/env python3
"""Serve the offline handbook on this computer only and open it in the web browser.

Browsers refuse to run the calculators (Python compiled to WebAssembly) from pages opened
as files, so the site needs a small web server. This one uses only Python's standard
library, listens on 127.0.0.1 (nothing outside this computer can connect), serves the
site/ folder next to this script, and sends .wasm and .mjs files with the MIME types the
browser insists on. It serves files only: no folder listings, nothing a link inside site/
points to outside it, and only to a browser that asked for 127.0.0.1 or localhost (a web
page elsewhere cannot reach it through a name of its own). Stop it with Ctrl+C.

    python3 serve.py               # port 8765, or a free one if that is taken
    python3 serve.py --port 9000
    python3 serve.py --no-browser  # print the address only
"""

import argparse
import functools
import http.server
import os
import re
import sys
import threading
import types
import urllib.parse
import webbrowser
from pathlib import Path

SITE = Path(__file__).resolve().parent / "site"
HOST = "127.0.0.1"
# Names a browser on this computer uses for this server. Any other Host header is a page
# elsewhere reaching it through a name it controls (DNS rebinding): refused.
ALLOWED_HOSTS = ("127.0.0.1", "localhost")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
DEFAULT_PORT = 8765
# Types the browser checks strictly (WebAssembly streaming compilation, ES modules), plus
# the handbook's own files, so the answer does not depend on this computer's mimetypes.
MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".webmanifest": "application/manifest+json",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from site/, with explicit MIME types and quiet logging."""

    extensions_map = types.MappingProxyType(
        dict(http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES)
    )
    verbose = False

    def log_message(self, format, *args):
        if self.verbose:
            super().log_message(format, *args)

    def send_head(self):
        refusal = self.refusal()
        if refusal is not None:
            self.send_error(*refusal)
            return None
        return super().send_head()

    def refusal(self):
        """(status, reason) for a request this server does not answer, or None."""
        host = (self.headers.get("Host") or "").strip().lower()
        name, _, port = host.rpartition(":") if ":" in host else (host, "", "")
        if name not in ALLOWED_HOSTS or (port and not port.isdigit()):
            return 400, "Host not allowed: open the handbook at 127.0.0.1 or localhost"
        raw = self.path.split("?", 1)[0].split("#", 1)[0]
        if not raw.startswith("/") or _BAD_ESCAPE.search(raw):
            return 400, "Malformed path"
        try:
            decoded = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return 400, "Malformed path"
        if "\\" in decoded or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
            return 400, "Malformed path"
        root = os.path.realpath(self.directory)
        real = os.path.realpath(self.translate_path(self.path))
        if real != root and not real.startswith(root + os.sep):
            return 404, "File not found"  # a link out of site/: as if it were not there
        return None

    def list_directory(self, path):
        """A folder without an index page is not shown."""
        self.send_error(404, "File not found")

    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


class Server(http.server.ThreadingHTTPServer):
    """Loopback only; a browser dropping a connection it no longer needs is not an error."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(port):
    """Bind 127.0.0.1:port; if the port is taken, let the system pick a free one."""
    handler = functools.partial(Handler, directory=str(SITE))
    try:
        return Server((HOST, port), handler)
    except OSError:
        return Server((HOST, 0), handler)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8765)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        print("site/index.html is missing: unpack the whole archive first.", file=sys.stderr)
        return 1
    Handler.verbose = args.verbose
    httpd = make_server(args.port)
    url = f"http://{HOST}:{httpd.server_address[1]}/"
    print("The handbook is at " + url + "  (Ctrl+C to stop)", flush=True)
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, [url]).start()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
