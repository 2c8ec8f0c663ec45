"""One Jinja environment per output format: the site's Markdown pages and the printed HTML.

Each is made once per build context (RenderMemos.environments), so a template is compiled
once; the site's compiled templates are also kept on disk between processes. Both see the
one label vocabulary of the outline.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

import jinja2
from markupsafe import Markup, escape

from build_tools import outline, provenance, qrcodes
from build_tools.citations import author_year
from build_tools.context import BuildContext
from build_tools.site_text import anchor, finalize, format_quantity, join_plain, table_cell

TEMPLATES: Final = Path(__file__).resolve().parent.parent / "site_templates"
"""The checkout's templates (page templates in pages/, the book's in print/)."""
PRINT_TEMPLATES: Final = TEMPLATES / "print"

SITE: Final = "site-markdown"
PRINT: Final = "print-html"


def _label(value: object) -> str:
    return str(value).replace("-", " ").capitalize()


def _vocabulary(env: jinja2.Environment) -> None:
    """The outline's labels, under the names every template uses."""
    env.globals["STUDY_TYPE_LABELS"] = dict(outline.STUDY_TYPE_LABELS)
    env.globals["LINE_LABELS"] = dict(outline.LINE_LABELS)
    env.globals["DOMAIN_LABELS"] = dict(outline.DOMAIN_LABELS)
    env.filters["label"] = _label
    env.filters["quantity"] = format_quantity


def site_environment(
    templates: Path = TEMPLATES, bytecode: Path | None = None
) -> jinja2.Environment:
    """Markdown pages. `bytecode`: a folder where Jinja keeps compiled templates between
    processes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "pages"),
        # Compiled code depends on `finalize` and the filters, which the cache does not key
        # on: the name keeps templates compiled by other versions of this function apart.
        bytecode_cache=(
            jinja2.FileSystemBytecodeCache(str(bytecode), "__jinja2_plain_%s.cache")
            if bytecode
            else None
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    _vocabulary(env)
    env.filters["join"] = join_plain
    # For a fenced code block, which shows its text as is (Markdown escapes it there).
    env.filters["tojson_pretty"] = lambda v: Markup(json.dumps(v, indent=2, ensure_ascii=False))
    env.filters["cell"] = table_cell
    env.filters["anchor"] = anchor
    env.filters["author_year"] = author_year
    return env


def xref(anchor: str, label: str) -> Markup:
    """A link to another place in the book; the stylesheet appends its page number."""
    return Markup(f'<a class="xref" href="#{escape(anchor)}">{escape(label)}</a>')


_NUMERIC = re.compile(r"^[\s\d.,–\-—≤≥<>%]+$")


def is_numeric(cell: str) -> bool:
    """Right-align columns of numbers so digits line up (a layout decision, not arithmetic)."""
    return bool(_NUMERIC.match(cell))


def print_environment(
    templates: Path = PRINT_TEMPLATES, include_unverified: bool = False
) -> jinja2.Environment:
    """The printed book's HTML."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    _vocabulary(env)
    env.filters["numeric"] = is_numeric
    env.globals["xref"] = xref
    env.filters["qr"] = qrcodes.qr_svg
    env.globals["entry_anchor"] = outline.entry_anchor
    env.globals["tier_words"] = provenance.tier_words()
    env.globals["tier_meanings"] = provenance.tier_meanings()
    env.globals["tier_marks"] = provenance.TIER_MARKS
    env.globals["include_unverified"] = include_unverified
    return env


def environment(ctx: BuildContext, output: str) -> jinja2.Environment:
    """The context's environment for an output format, made on first use."""
    held = ctx.memos.environments.get(output)
    if held is None:
        if output == SITE:
            bytecode = ctx.settings.cache_store / "jinja"
            bytecode.mkdir(parents=True, exist_ok=True)
            held = site_environment(ctx.settings.templates, bytecode)
        else:
            held = print_environment(
                ctx.settings.templates / "print", provenance.include_unverified(ctx.settings)
            )
        ctx.memos.environments[output] = held
    return held
