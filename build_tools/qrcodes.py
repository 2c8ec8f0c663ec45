"""QR codes that take a reader of the printed handbook back to the live site.

Paper cannot compute; a printed worked example can at least open the calculator with the
same numbers filled in (the URL fragment the calculator pages already understand, so no
server ever sees them). The codes are vector SVG written into the page by `segno`, a
maintained QR library, so they stay sharp at any print size; the tests decode them back from
the rendered PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import segno
from markupsafe import Markup

ERROR_LEVEL = "m"
"""Medium error correction (15 %): survives a smudged or slightly creased page."""


def page_url(base: str, md_path: str) -> str:
    """The published address of a generated page (`calculators/x.md` → `<base>calculators/x/`)."""
    path = md_path.removesuffix(".md")
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return base.rstrip("/") + "/" + path


def calculator_url(base: str, calculator_id: str, inputs: Mapping[str, Any]) -> str:
    """The calculator's page with `inputs` filled in (its URL fragment; see the widget)."""
    from build_tools.calculator_pages import calculator_path, fragment_for

    return page_url(base, calculator_path(calculator_id)) + "#" + fragment_for(inputs)


def qr_svg(url: str, title: str) -> Markup:
    """An inline, scalable SVG QR code for `url`, titled for screen readers of the PDF."""
    code = segno.make(url, error=ERROR_LEVEL, micro=False)
    svg: str = code.svg_inline(
        scale=1, border=4, omitsize=True, title=title, svgclass="qr", lineclass=None
    )
    return Markup(svg)
