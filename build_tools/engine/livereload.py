"""MkDocs' live reload, under the site's Content-Security-Policy.

MkDocs writes its reload script inline into every page it serves. The page's policy allows
no inline script but those hashed when the page was built (build_tools.csp), so the browser
blocked it and a served page never reloaded after an edit. Here each served page's inline
copy is replaced by the same code served from the site's own origin (allowed by
`script-src 'self'`), its two numbers carried as attributes; the page's bytes are otherwise
those MkDocs serves. Without the script template this relies on, pages are served as MkDocs
serves them (one log line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Final

SCRIPT_PATH: Final = "/.guideline-serve/livereload.js"
INJECTED: Final = re.compile(
    rb"<script>\s*var livereload = function\(epoch, requestId\) \{.*?"
    rb"livereload\((\d+), (\d+)\);\s*</script>",
    re.DOTALL,
)
"""MkDocs 1.6's injected script (mkdocs.livereload._SCRIPT_TEMPLATE_STR, checked by
internals.livereload_script before anything is rewritten), as served."""

# MkDocs' own polling, reading its numbers from the tag that loads it.
SCRIPT: Final = b"""(function () {
  var me = document.currentScript;
  var epoch = Number(me.getAttribute("data-epoch"));
  var requestId = me.getAttribute("data-request");
  var req, timeout;
  function poll() {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + requestId);
    req.send();
  }
  function stop() {
    if (req) { req.abort(); }
    if (timeout) { clearTimeout(timeout); }
    req = timeout = undefined;
  }
  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") { poll(); }
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { poll(); } else { stop(); }
  });
  window.addEventListener("beforeunload", stop);
})();
"""

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def external(page: bytes) -> bytes:
    """The page with MkDocs' inline reload script replaced by a same-origin one."""

    def tag(match: re.Match[bytes]) -> bytes:
        epoch, request = match.group(1).decode(), match.group(2).decode()
        return (
            f'<script src="{SCRIPT_PATH}" data-epoch="{epoch}" data-request="{request}"></script>'
        ).encode()

    return INJECTED.sub(tag, page, count=1)


def serve_script(start_response: StartResponse) -> Iterable[bytes]:
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/javascript"),
            ("Cache-Control", "no-store"),
            ("Content-Length", str(len(SCRIPT))),
        ],
    )
    return [SCRIPT]


def rewritten(
    app: WsgiApp, environ: dict[str, Any], start_response: StartResponse
) -> Iterable[bytes]:
    """MkDocs' response, its HTML pages with the reload script made external."""
    held: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        held["status"], held["headers"], held["exc_info"] = status, headers, exc_info
        return lambda data: None  # MkDocs returns its body; it never calls write()

    body = app(environ, capture)
    headers: list[tuple[str, str]] = held["headers"]
    kind = next((v for k, v in headers if k.lower() == "content-type"), "")
    if not (held["status"].startswith("200") and kind.startswith("text/html")):
        start_response(held["status"], headers, held["exc_info"])
        return body
    try:
        page = external(b"".join(body))
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    start_response(held["status"], [*headers, ("Content-Length", str(len(page)))])
    return [page]
