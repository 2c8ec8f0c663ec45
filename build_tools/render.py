"""The site publisher: the validated corpus as Markdown pages, through the Jinja templates.

Python decides what goes on which page and computes everything; templates only lay it out.
The job is split by part, each its own module:

- build_tools.outline: what is published, in what order, under which labels (shared with
  the handbook and the exports);
- build_tools.site_plan: the pages planned from the outline (`Page`, `plan_pages`);
- build_tools.site_views: what a page shows beside its content object (typed views);
- build_tools.site_text and build_tools.templating: Markdown text and the Jinja setup;
- build_tools.citer: prose with its citations (one citer, site and print);
- build_tools.site_render: the render run, its quick path, numbering, the reference list;
- build_tools.site_nav: navigation and abbreviations;
- build_tools.exports.guideline_json: guideline.json.

This module names the parts other code uses, so a caller need not know the split.
"""

from __future__ import annotations

from build_tools.citer import TIER_NOTES, Citer, cite_text, number_marks, tiered
from build_tools.exports.guideline_json import build_export
from build_tools.outline import (
    DOMAIN_ORDER,
    LINE_LABELS,
    LINE_ORDER,
    EntrySummary,
    display_title,
    entry_path,
    summarize,
)
from build_tools.site_nav import NAV_GROUP_LIMIT, build_abbreviations, build_nav
from build_tools.site_plan import (
    Page,
    content_schemas,
    entry_page,
    entry_summaries,
    keyword_names,
    plan_pages,
    search_keywords,
)
from build_tools.site_render import Site, render_site
from build_tools.site_text import (
    anchor,
    citation_title,
    end_blocks,
    format_number,
    format_quantity,
    plain,
    quote_disclosure,
    relative,
    table_cell,
)
from build_tools.site_views import PageViews
from build_tools.templating import TEMPLATES
from build_tools.templating import site_environment as make_environment

__all__ = [
    "DOMAIN_ORDER",
    "LINE_LABELS",
    "LINE_ORDER",
    "NAV_GROUP_LIMIT",
    "TEMPLATES",
    "TIER_NOTES",
    "Citer",
    "EntrySummary",
    "Page",
    "PageViews",
    "Site",
    "anchor",
    "build_abbreviations",
    "build_export",
    "build_nav",
    "citation_title",
    "cite_text",
    "content_schemas",
    "display_title",
    "end_blocks",
    "entry_page",
    "entry_path",
    "entry_summaries",
    "format_number",
    "format_quantity",
    "keyword_names",
    "make_environment",
    "number_marks",
    "plain",
    "plan_pages",
    "quote_disclosure",
    "relative",
    "render_site",
    "search_keywords",
    "summarize",
    "table_cell",
    "tiered",
]
