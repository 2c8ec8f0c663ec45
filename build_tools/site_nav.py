"""The site's navigation and abbreviations, from the planned pages and the glossary."""

from __future__ import annotations

import re
from typing import Any

from build_tools.loader import Corpus
from build_tools.site_plan import Page

# The most pages one navigation group lists. The theme writes the open group's pages into
# every page of it, so an unbounded group makes pages, and the build, grow with the square
# of the content; a larger group is split into runs of at most this many, in order.
NAV_GROUP_LIMIT = 40


def build_nav(pages: list[Page], limit: int = NAV_GROUP_LIMIT) -> list[Any]:
    """Sections, and groups within them, in the order pages are planned."""
    nav: list[Any] = []
    groups: dict[tuple[str, ...], list[Any]] = {}
    for page in pages:
        if not page.in_nav:
            continue
        target = nav
        path: tuple[str, ...] = ()
        for label in (page.section, page.subsection):
            if not label:
                break
            path = (*path, label)
            if path not in groups:
                groups[path] = []
                target.append({label: groups[path]})
            target = groups[path]
        target.append({page.nav_title or page.title: page.path})
    for items in groups.values():
        if len(items) > limit:
            items[:] = _runs(items, limit)
    return nav


def _runs(items: list[Any], limit: int) -> list[Any]:
    """A long group as runs named by their first and last page ("Abatacept … Dapsone")."""
    runs = []
    for start in range(0, len(items), limit):
        run = items[start : start + limit]
        first, last = (_short(next(iter(item))) for item in (run[0], run[-1]))
        runs.append({f"{first} … {last}": run})
    return runs


def _short(title: str, width: int = 24) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


_ABBR_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/+.]*$")


def build_abbreviations(corpus: Corpus) -> str:
    """Glossary terms as Markdown abbreviations: the theme shows them as tooltips everywhere."""
    lines = []
    for term in corpus.glossary:
        if _ABBR_SAFE.match(term.term):
            definition = " ".join(term.definition.split())
            lines.append(f"*[{term.term}]: {definition}")
    return "\n".join(lines) + "\n"
