"""Text for the site's Markdown pages: plain content text, tables, quantities, front matter.

Shared by every site template through the Markdown environment (build_tools.templating)
and by the citer; nothing here decides what a page shows.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from build_tools import prose, schema

if TYPE_CHECKING:
    from build_tools.site_plan import Page


def relative(from_page: str, to_page: str) -> str:
    """A Markdown link target from one page source to another; MkDocs resolves .md links."""
    target, _, anchor = to_page.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def plain(value: object) -> Markup:
    """Plain content text (a title, a label) for a Markdown page: every character is text.

    Jinja's autoescape keeps HTML out; this also keeps Markdown out, so a title cannot
    become a link, an attribute list or a heading.
    """
    if isinstance(value, Markup):
        return value
    return Markup(prose.escape_text(str(value)))


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def finalize(value: object) -> object:
    """Every `{{ value }}` in a page template: strings are plain text (see `plain`).

    A bare identifier (a field name, `__unit`) is left as it is: templates write them into
    HTML attributes, and underscores alone can make emphasis at worst, never a link,
    an attribute or an element.
    """
    if isinstance(value, str) and not isinstance(value, Markup) and not _IDENTIFIER.match(value):
        return plain(value)
    return value


@jinja2.pass_eval_context
def join_plain(_ctx: object, items: Iterable[object], separator: str = "") -> Markup:
    """Jinja's join, with each item written as plain text."""
    return Markup(str(plain(separator)).join(str(plain(item)) for item in items))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def literal(text: str) -> str:
    """Text shown as is inside Markdown: HTML-escaped, Markdown's markup neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", str(escape(text)))


def quote_disclosure(locator: schema.SourceLocator | None) -> Markup:
    """A one-line <details> with the verbatim source text; '' when there is no quote."""
    if locator is None or not locator.quote:
        return Markup("")
    quoted = " … ".join(literal(q) for q in locator.quote)
    where = literal(locator.section)
    return Markup(
        f' <details class="quote"><summary>Source text</summary>“{quoted}” '
        f"<small>({where})</small></details>"
    )


def citation_title(ref: schema.Reference) -> str:
    """The short citation shown when hovering a citation number (a Markdown link title)."""
    title = _short_citation(ref).replace('"', "'")
    return str(escape(title)).replace("[", "(").replace("]", ")")


def _short_citation(ref: schema.Reference) -> str:
    first = ref.author[0] if ref.author else None
    who = (first.family or first.literal or "") if first else (ref.container_title or "")
    if first and len(ref.author) > 1:
        who += " et al."
    year = ref.issued.date_parts[0][0] if ref.issued else ""
    return f"{who} {year}. {ref.title or ''}".strip()


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^#{1,6} ")


def end_blocks(markdown: str) -> str:
    """Put a blank line wherever a table or a paragraph must end: before every heading, and
    after a table's last row, whatever follows it.

    Templates lay pages out with Jinja blocks that swallow their own line ends, so a table
    built in a loop and the heading of the next, optional, section met on adjacent lines:
    Markdown then read the heading as one more table row, and the section dropped out of
    the page and its table of contents. Ending blocks here, once for every page, keeps that
    from depending on how each template spaces its blocks. Fenced code is left as written.
    """
    out: list[str] = []
    fenced = False
    previous = ""
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.strip() and previous.strip():
            after_table = previous.startswith("|") and not line.startswith("|")
            if after_table or _HEADING.match(line):
                out.append("")
        out.append(line)
        previous = line if not fenced else ""
    return "\n".join(out)


def table_cell(value: object) -> Markup:
    """One Markdown table cell: a single line, with pipes escaped."""
    text = plain(value)
    return Markup(re.sub(r"\s*\n\s*", " ", str(text)).replace("|", "\\|"))


def anchor(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def format_number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def format_quantity(q: schema.Quantity | None) -> str:
    if q is None:
        return ""
    unit = q.unit.replace("m2", "m²")
    amount = (
        format_number(q.value)
        if q.value is not None
        else (f"{format_number(q.min or 0)}–{format_number(q.max or 0)}")
    )
    per = f" per {q.per}" if q.per else ""
    return f"{amount} {unit}{per}"


def front_matter(page: Page) -> str:
    lines = ["---", f"title: {json.dumps(page.title, ensure_ascii=False)}"]
    # The template a page came from: build_tools.pagecheck holds the built page's headings
    # to the ones that template declares.
    lines.append(f"generated_from: {json.dumps(page.template)}")
    if page.search_boost:
        lines += ["search:", f"  boost: {page.search_boost}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in page.meta.items()]
    lines.append("---\n\n")
    return "\n".join(lines)
