"""A Content-Security-Policy for every page, with the theme's inline scripts allowed by hash.

The site must reach nothing outside itself, and inline script is the usual injection path,
so 'unsafe-inline' is never granted to scripts: each inline script the theme writes is
hashed as built. WebAssembly needs 'wasm-unsafe-eval' (without it loadPyodide hangs).

The policy is a pass over the built output tree (`apply_tree`), not a step inside the
engine's page rendering: whichever engine wrote the HTML, every page gets its policy the
same way, and the pass is run by the engine adapter after each build (and, under `serve`,
on the pages each rebuild wrote).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD_META = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)

POLICY: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "default-src": ("'none'",),
        "script-src": ("'self'", "'wasm-unsafe-eval'"),
        # No event-handler attributes (onclick=...) run, whatever reaches a page.
        "script-src-attr": ("'none'",),
        "style-src": ("'self'", "'unsafe-inline'"),
        "img-src": ("'self'", "data:"),
        "font-src": ("'self'",),
        "connect-src": ("'self'",),
        "worker-src": ("'self'",),
        "manifest-src": ("'self'",),
        "form-action": ("'self'",),
        "base-uri": ("'self'",),
        "object-src": ("'none'",),
    }
)


def inline_script_hashes(html: str) -> list[str]:
    hashes = []
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(set(hashes))


def policy_for(html: str) -> str:
    policy = {k: list(v) for k, v in POLICY.items()}
    policy["script-src"] += inline_script_hashes(html)
    return "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())


def apply_csp(html: str) -> str:
    """Insert the policy as the first thing after <meta charset>, before any script runs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    match = _HEAD_META.search(html)
    if match is None:
        return html.replace("<head>", "<head>" + meta, 1)
    return html[: match.end()] + meta + html[match.end() :]


def has_policy(html: str) -> bool:
    """Whether the policy is already where apply_csp puts it (a pass run twice is a no-op)."""
    match = _HEAD_META.search(html)
    start = match.end() if match is not None else html.find("<head>") + len("<head>")
    return html.startswith('<meta http-equiv="Content-Security-Policy"', start)


def apply_file(path: Path) -> bool:
    """Give one HTML file its policy; False when it already had one."""
    html = path.read_bytes().decode("utf-8")  # bytes as written: no newline translation
    if has_policy(html):
        return False
    path.write_bytes(apply_csp(html).encode("utf-8"))
    return True


def apply_tree(site: Path, only: Iterable[str | Path] | None = None) -> int:
    """Give every HTML file under `site` (or the files `only` names) its policy.

    Returns how many files were changed. Files already carrying the policy are left alone,
    so a pass over pages an incremental rebuild did not write changes nothing.
    """
    paths = sorted(site.rglob("*.html")) if only is None else [Path(p) for p in only]
    return sum(apply_file(path) for path in paths if path.suffix == ".html" and path.is_file())
