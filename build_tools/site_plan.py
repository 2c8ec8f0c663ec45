"""The site's pages, planned from the outline: which page, where, with what context.

Pages are listed in navigation order, which is also the order citations are numbered in.
The outline (build_tools.outline) decides what exists, in what order and under which
labels; this module only says how each part becomes a Markdown page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from build_tools import outline, schema, whatsnew
from build_tools.loader import Corpus
from build_tools.outline import EntrySummary, entry_path, summarize
from build_tools.rendercache import RenderCache

if TYPE_CHECKING:
    from build_tools.memos import RenderMemos
    from build_tools.site_views import PageViews


@dataclass
class Page:
    """A page to write: where, what, and which content files it depends on."""

    path: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    # A group within the section. The theme shows only the open group's pages in the
    # navigation (navigation.prune), which keeps every page's navigation short however
    # large the guideline grows.
    subsection: str = ""
    nav_title: str = ""  # a shorter label for the navigation (and its tab), when needed
    search_boost: float | None = None
    # Extra front matter for the theme (e.g. `calculator: id` makes main.html load the widget).
    meta: dict[str, Any] = field(default_factory=dict)
    in_nav: bool = True  # False: published and linked to, but not listed in the navigation


def entry_summaries(corpus: Corpus, cache: RenderCache | None) -> dict[str, EntrySummary]:
    """One summary per entry (the same summary object while the entry object is unchanged)."""
    if cache is None:
        return {k: summarize(e) for k, e in corpus.entries.items()}
    return {k: cache.summary(e, summarize) for k, e in corpus.entries.items()}


def plan_pages(
    corpus: Corpus,
    extra: list[Page] | None = None,
    cache: RenderCache | None = None,
    views: PageViews | None = None,
) -> list[Page]:
    """Every page in reading order (which is also citation-numbering order).

    Entries are placed by their summaries; only an entry's own page holds the entry itself.
    `views` completes the pages that show more than their content object (without it, as
    in a plan made only to look at its order, they get their content object alone).
    """
    plan = outline.make_outline(corpus, entry_summaries(corpus, cache))
    domains = [d.domain for d in plan.domains]
    pages = [
        Page(
            "index.md",
            corpus.guideline.title,
            "home.md.j2",
            section="",
            nav_title="Home",
            context={"domains": domains},
        )
    ]
    if domains:
        pages.append(
            Page(
                "domains/index.md",
                outline.DOMAINS.full,
                "domains_index.md.j2",
                section=outline.DOMAINS.short,
                nav_title="All domains",
                context={"domains": domains},
            )
        )
    for d in plan.domains:
        steps = [{"step": s.step, "entries": list(s.entries)} for s in d.steps]
        domain_context: dict[str, Any] = {
            "domain": d.domain,
            "steps": steps,
            "related": list(d.related),
        }
        if views is not None:
            domain_context |= views.domain(d.domain)
        pages.append(
            Page(
                f"domains/{d.domain.id.value}.md",
                d.domain.title,
                "domain.md.j2",
                section=outline.DOMAINS.short,
                context=domain_context,
                search_boost=2,
            )
        )
    pages += [entry_page(corpus.entries[topic.id], topic, views) for topic in plan.topics]
    if plan.antibodies:
        pages.append(
            Page(
                "antibodies.md",
                outline.ANTIBODIES.full,
                "antibodies.md.j2",
                section=outline.FRAMEWORK.short,
                context={
                    "antibodies": corpus.antibodies,
                    "withdrawn": views.changes().withdrawn_from("antibodies.md") if views else [],
                },
                search_boost=1.5,
                # An antibody is searched by its name ("PL-12", "anti-MDA5"): the names are the
                # page's heaviest search field, as a drug's names are its page's.
                meta={"tags": list(dict.fromkeys(a.name for a in corpus.antibodies))},
            )
        )
    if plan.therapies:
        pages.append(
            Page(
                "therapies/index.md",
                outline.THERAPIES.short,
                "therapies_index.md.j2",
                section=outline.THERAPIES.short,
                nav_title="All therapies",
                context={"lines": plan.therapy_lines()},
            )
        )
    pages += [entry_page(corpus.entries[t.id], t, views) for t in plan.therapies]
    for algo in plan.algorithms:
        path = f"algorithms/{algo.id}.md"
        context: dict[str, Any] = {"algorithm": algo}
        if views is not None:
            context |= views.algorithm(algo, path)
        pages.append(
            Page(
                path,
                algo.title,
                "algorithm.md.j2",
                section=outline.ALGORITHMS.short,
                context=context,
            )
        )
    for kind in plan.kinds:
        pages += kind_site_pages(kind, views)
    pages.extend(extra or [])
    pages.append(
        Page(
            "glossary.md",
            outline.GLOSSARY.full,
            "glossary.md.j2",
            section=outline.REFERENCE.short,
            context={
                "terms": list(plan.glossary),
                "withdrawn": views.changes().withdrawn_from("glossary.md") if views else [],
            },
        )
    )
    about: dict[str, Any] = {"guideline": corpus.guideline, "discrepancies": corpus.discrepancies}
    if views is not None:
        about |= views.about()
    pages.append(
        Page(
            "about.md",
            outline.ABOUT.full,
            "about.md.j2",
            section=outline.REFERENCE.short,
            context=about,
        )
    )
    if views is not None:
        news = views.whats_new()
        edition = news["changes"].edition
        pages.append(
            Page(
                whatsnew.PAGE_PATH,
                f"What's new in {edition}",
                whatsnew.TEMPLATE,
                section=outline.REFERENCE.short,
                nav_title="What's new",
                context=news,
                # Old and new text of every change: reached from its section and the marks,
                # left out of the search index every page downloads.
                meta={"search": {"exclude": True}},
            )
        )
        pages += views.tombstone_pages()  # withdrawn items' old addresses
    # Searched last: it names every title and drug once more in its reference titles, and
    # would otherwise come before the pages a clinician wants (its back-links are left out
    # of the index altogether: references.md.j2).
    pages.append(
        Page(
            "references.md",
            outline.REFERENCES.full,
            "references.md.j2",
            section=outline.REFERENCE.short,
            search_boost=0.1,
        )
    )
    # For authors, not clinicians: outside the navigation (mkdocs.yml `not_in_nav`), linked
    # from the About page, and searched last.
    pages.append(
        Page(
            "content-format.md",
            "Content format (for authors)",
            "format.md.j2",
            section=outline.REFERENCE.short,
            context={"schemas": content_schemas(views.ctx.memos if views is not None else None)},
            search_boost=0.1,
            in_nav=False,
        )
    )
    if views is not None:  # for trainees: a section of their own, last
        pages += views.study_pages()
    return pages


def kind_site_pages(kind: outline.KindPages, views: PageViews | None = None) -> list[Page]:
    """The pages of a kind that declares them (build_tools.kinds): its listing, then one
    page per object, in the kind's order, under the kind's section; an object changed in
    this edition carries its mark (`changed_mark`, the anchor of its change)."""
    plan = kind.plan
    pages = [
        Page(
            plan.index,
            plan.index_title,
            plan.index_template,
            section=plan.section,
            context={**kind.index_context, "items": list(kind.items)},
        )
    ]
    for item, context in zip(kind.items, kind.contexts, strict=True):
        pages.append(
            Page(
                kind.path(item),
                plan.title(item),
                plan.template,
                section=plan.section,
                context={
                    **context,
                    "item": item,
                    "changed_mark": views.changes().mark_for(kind.kind, item.id) if views else "",
                },
            )
        )
    return pages


def search_keywords(entry: schema.Entry) -> dict[str, Any]:
    """The names a clinician types for an entry (its synonyms: abbreviations, brand names).

    The theme indexes front matter `tags` as the heaviest search field without showing them
    (no tags plugin): a page is found first by what it is called, however the text puts it.
    """
    names = keyword_names(entry.synonyms)
    return {"tags": names} if names else {}


_ONE_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def keyword_names(synonyms: Iterable[str]) -> list[str]:
    """The one-word names among synonyms (MMF, CellCept, IVIg). A name of several words or
    parts ("anti-CD20") would be indexed by its parts, and "anti" would then lift every
    such page above the pages a query like "anti-MDA5 ILD" is about."""
    return [name for name in synonyms if _ONE_WORD.match(name)]


def entry_page(entry: schema.Entry, summary: EntrySummary, views: PageViews | None = None) -> Page:
    """An entry's own page, placed by its summary."""
    context: dict[str, Any] = {"entry": entry}
    if views is not None:
        context |= views.entry(entry)
    if summary.kind == "therapy":
        return Page(
            entry_path(summary),
            summary.display_title,
            "entry.md.j2",
            section=outline.THERAPIES.short,
            subsection=outline.line_label(summary.line_of_therapy, "Other therapies"),
            context=context,
            # Above the calculators (1.5): a dose typed into search ("2 g/kg") finds the
            # regimen, with its source, before the calculator that computes it.
            search_boost=3,
            meta=search_keywords(entry),
        )
    return Page(
        entry_path(summary),
        summary.display_title,
        "entry.md.j2",
        section=outline.FRAMEWORK.short,
        context=context,
        meta=search_keywords(entry),
    )


def content_schemas(memos: RenderMemos | None = None) -> list[dict[str, Any]]:
    """The JSON Schema of every content file kind, for the authors' page (made once per
    context: the schema is code, it cannot change while a process runs)."""
    if memos is not None and memos.content_schemas is not None:
        return memos.content_schemas
    out = []
    for pattern, (model, is_list) in schema.CONTENT_FILES.items():
        out.append(
            {
                "pattern": Markup(f"content/{pattern}"),  # code, shown in a code span
                "model": model.__name__,
                "is_list": is_list,
                "doc": (model.__doc__ or "").strip(),
                "schema": model.model_json_schema(by_alias=True),
            }
        )
    if memos is not None:
        memos.content_schemas = out
    return out
