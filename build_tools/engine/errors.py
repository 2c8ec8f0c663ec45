"""While `make serve` runs, a failed rebuild shows its problems instead of holding requests.

MkDocs' server answers no request between a failed rebuild and the next good one: every page
load waits until the error is fixed, and the author sees a spinning tab. Here the server's
rebuilds are watched (its builder is wrapped) and its WSGI application is wrapped: after a
failure every page request gets a page listing each problem with its file, line and key, and
that page asks the server (same origin, one small script allowed by its hash, like every
inline script of the site: build_tools.csp) whether a rebuild has finished, and reloads when
one has. Pages served after a good rebuild go through build_tools.engine.livereload, which
makes MkDocs' reload script one the site's policy allows. Without the server internals this
needs, MkDocs' own behaviour stays (one log line).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterable
from typing import Any, Final

from build_tools.csp import apply_csp
from build_tools.engine import internals, livereload
from build_tools.engine.session import BuildStatus, Session

log = logging.getLogger("mkdocs.hooks.guideline")

STATUS_PATH: Final = "/.guideline-serve/status"
"""Answered by the wrapper itself, before MkDocs routes the request (any mount path)."""
SETTLE_S: Final = 120.0
"""How long a request waits for a running rebuild before MkDocs' own handling takes over."""

StartResponse = livereload.StartResponse
WsgiApp = livereload.WsgiApp

# Reload once a rebuild has ended after the one that failed (good or not: new problems
# replace the list). A same-origin poll, allowed by connect-src 'self'.
RELOAD_SCRIPT: Final = (
    "(function () {"
    'var seen = document.body.getAttribute("data-generation");'
    "function poll() {"
    'fetch("' + STATUS_PATH + '", {cache: "no-store"})'
    ".then(function (r) { return r.json(); })"
    ".then(function (s) {"
    "if (!s.building && String(s.generation) !== seen) { location.reload(); }"
    "else { setTimeout(poll, 500); }"
    "}, function () { setTimeout(poll, 2000); });"
    "}"
    "setTimeout(poll, 500);"
    "})();"
)

STYLE: Final = """
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --muted: #5f6368;
  --accent: #3f51b5; --bad: #b3261e; --card: #f6f7fb; --line: #dadce0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e3e3e8; --bg: #1e2129; --muted: #a8abb3; --accent: #9fa8da;
    --bad: #f2b8b5; --card: #272b35; --line: #3a3f4b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
header { background: var(--accent); color: #fff; padding: 0.9rem 0; }
@media (prefers-color-scheme: dark) { header { color: #1e2129; } }
header h1 { max-width: 60rem; margin: 0 auto; padding: 0 1.2rem; font-size: 1.15rem;
  font-weight: 600; }
code { white-space: nowrap; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
p { margin: 0.6rem 0; }
.note { color: var(--muted); font-size: 0.95rem; }
ol { padding: 0; list-style: none; counter-reset: problem; }
li { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--bad);
  border-radius: 6px; margin: 0.7rem 0; padding: 0.7rem 0.9rem; overflow-wrap: anywhere; }
.where { font: 0.9rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace; color: var(--muted); }
.key { font: 600 0.95rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
.message { margin-top: 0.25rem; }
"""


def problem_page(status: BuildStatus) -> bytes:
    """The page shown for every page request while the last rebuild has failed."""
    items = []
    for problem in status.problems:
        where = f"{problem.path}:{problem.line}:{problem.column}"
        key = f'<div class="key">{html.escape(problem.key)}</div>' if problem.key else ""
        items.append(
            f'<li><div class="where">{html.escape(where)}</div>{key}'
            f'<div class="message">{html.escape(problem.message)}</div></li>'
        )
    count = len(status.problems)
    if count:
        noun = "problem" if count == 1 else "problems"
        heading = f"{count} content {noun}: the site was not rebuilt"
        lead = "Fix each of these; this page reloads by itself once they are all fixed."
    else:
        heading = "The rebuild failed: the site was not rebuilt"
        lead = (
            f"{html.escape(status.failure)} The terminal running <code>make serve</code> "
            "shows the details; this page reloads by itself after the next rebuild."
        )
    body = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>{STYLE}</style></head>"
        f'<body data-generation="{status.generation}"><header><h1>{html.escape(heading)}'
        f"</h1></header><main><p>{lead}</p>"
        + (f"<ol>{''.join(items)}</ol>" if items else "")
        + '<p class="note">Nothing is published while this page shows: the last good build '
        "is still on disk, and <code>make site</code> refuses the same content.</p>"
        f"</main><script>{RELOAD_SCRIPT}</script></body></html>\n"
    )
    return apply_csp(body).encode("utf-8")


def _is_page_request(environ: dict[str, Any]) -> bool:
    path = str(environ.get("PATH_INFO", ""))
    accept = str(environ.get("HTTP_ACCEPT", ""))
    return path.endswith(("/", ".html")) or "text/html" in accept


def guard(session: Session, server: object) -> None:
    """Wrap the server's builder and application (see the module's docstring)."""
    wrapped = internals.server_builder(server)
    if wrapped is None:
        session.fallbacks.missing(internals.SERVER_BUILDER)
        return
    status = session.status
    build = wrapped.builder
    app: WsgiApp = wrapped.get_app()

    moved = internals.livereload_script()
    if not moved:
        session.fallbacks.missing(internals.LIVERELOAD_SCRIPT)

    def served(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """MkDocs' answer; a page's inline reload script made one its policy allows."""
        if moved:
            return livereload.rewritten(app, environ, start_response)
        return app(environ, start_response)

    def builder(*args: Any, **kwargs: Any) -> None:
        status.begin()
        try:
            build(*args, **kwargs)
        except BaseException as exc:
            problems = session.problems
            status.end(problems, "" if problems else str(exc) or type(exc).__name__)
            log.info(
                "guideline: the rebuild failed; every page shows why until the next rebuild "
                "succeeds (the server is not stuck, whatever the next line says)"
            )
            raise
        status.end()

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if path == STATUS_PATH:
            with status.cond:
                answer = {
                    "building": status.building,
                    "generation": status.generation,
                    "failed": status.failed,
                }
            data = json.dumps(answer).encode()
            start_response(
                "200 OK",
                [
                    ("Content-Type", "application/json"),
                    ("Cache-Control", "no-store"),
                    ("Content-Length", str(len(data))),
                ],
            )
            return [data]
        if path == livereload.SCRIPT_PATH and moved:
            return livereload.serve_script(start_response)
        if path.startswith("/livereload/") or not status.settled(SETTLE_S):
            return served(environ, start_response)
        if not status.failed:
            return served(environ, start_response)
        if _is_page_request(environ):
            data = problem_page(status)
            kind = "text/html; charset=utf-8"
        else:
            data = b"The last rebuild failed: open any page to see why.\n"
            kind = "text/plain; charset=utf-8"
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", kind),
                ("Cache-Control", "no-store"),
                ("Content-Length", str(len(data))),
            ],
        )
        return [data]

    wrapped.builder = builder
    wrapped.set_app(application)
