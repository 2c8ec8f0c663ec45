"""The handbook's paper and fonts: page size, the edition in the footer, embedded DejaVu.

Fonts are embedded from local files so the PDF looks the same on every machine and nothing
is fetched; DejaVu covers ≥, µ, γ, ² and the other symbols used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from build_tools.context import FONT_DIR_ENV, PAPER_ENV, Settings

PAPER_SIZES: Mapping[str, str] = {"a4": "A4", "letter": "letter", "a6": "A6"}
"""Paper name on the command line → CSS page size. A4 is the default; A6 is the pocket
edition, laid out by a stylesheet of its own (PAPER_STYLESHEETS)."""
PAPER_STYLESHEETS: Mapping[str, str] = {"a6": "handbook-a6.css"}
"""Paper → the stylesheet (site_templates/print/) that adapts the layout to it, read after
handbook.css: the pocket edition's margins, running heads, type and tables."""
DEFAULT_PAPER = "a4"
"""Environment variable choosing the paper when the CLI option is not given (`make site`)."""

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian fonts-dejavu-core / -extra
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
)
# (CSS family, weight, style, file). Embedded from local files so the PDF looks the same on
# every machine and nothing is fetched; DejaVu covers ≥, µ, γ, ² and the other symbols used.
FONT_FACES: tuple[tuple[str, str, str, str], ...] = (
    ("Handbook Serif", "normal", "normal", "DejaVuSerif.ttf"),
    ("Handbook Serif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
    ("Handbook Serif", "normal", "italic", "DejaVuSerif-Italic.ttf"),
    ("Handbook Serif", "bold", "italic", "DejaVuSerif-BoldItalic.ttf"),
    ("Handbook Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("Handbook Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("Handbook Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("Handbook Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("Handbook Condensed", "normal", "normal", "DejaVuSansCondensed.ttf"),
    ("Handbook Condensed", "bold", "normal", "DejaVuSansCondensed-Bold.ttf"),
    ("Handbook Condensed", "normal", "italic", "DejaVuSansCondensed-Oblique.ttf"),
    ("Handbook Condensed", "bold", "italic", "DejaVuSansCondensed-BoldOblique.ttf"),
    # The algorithm diagrams name "DejaVu Sans" (build_tools.algorithms): the same files.
    ("DejaVu Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("DejaVu Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
)


class HandbookError(RuntimeError):
    """The handbook cannot be built; the message says what to install or fix."""


def paper_from_env(default: str = DEFAULT_PAPER) -> str:
    """The paper named by $HANDBOOK_PAPER, checked against PAPER_SIZES."""
    return checked_paper(Settings.from_environment().paper or default)


def checked_paper(paper: str) -> str:
    """`paper` when the handbook knows its size; a HandbookError naming the choices if not."""
    if paper not in PAPER_SIZES:
        raise HandbookError(
            f"{PAPER_ENV}={paper!r}: expected one of {', '.join(sorted(PAPER_SIZES))}"
        )
    return paper


# --- fonts ---------------------------------------------------------------------------------


def find_font_dir(font_dir: Path | None = None) -> Path:
    """The folder holding every DejaVu file FONT_FACES names (`font_dir` first: the
    settings' HANDBOOK_FONT_DIR)."""
    candidates = ([font_dir] if font_dir else []) + list(FONT_DIRS)
    needed = {face[3] for face in FONT_FACES}
    for folder in candidates:
        if all((folder / name).is_file() for name in needed):
            return folder
    raise HandbookError(
        "DejaVu fonts not found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "): install the Debian packages fonts-dejavu-core and fonts-dejavu-extra "
        f"(`make setup` does), or set {FONT_DIR_ENV}"
    )


def font_face_css(folder: Path) -> str:
    """@font-face rules pointing at local files (file:// URLs: nothing is downloaded)."""
    rules = []
    for family, weight, style, name in FONT_FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{(folder / name).as_uri()}"); }}'
        )
    return "\n".join(rules)


def _css_string(text: str) -> str:
    """A CSS string literal: quotes and backslashes escaped, no markup-significant characters."""
    cleaned = re.sub(r"[\x00-\x1f<>]", " ", text)
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_css(paper: str, edition: str, date: str) -> str:
    """The page rules that depend on the build: paper size and the edition in the footer."""
    footer = _css_string(f"Edition {edition} · {date}")
    size = PAPER_SIZES[paper]
    return (
        f"@page {{ size: {size}; @bottom-left {{ content: {footer}; }} }}\n"
        f"@page landscape {{ size: {size} landscape; }}\n"
    )
