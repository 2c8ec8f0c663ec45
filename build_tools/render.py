"""Turn the validated corpus into Markdown pages through the Jinja templates.

Python decides what goes on which page and computes everything; templates only lay it out.
Pages are planned in navigation order, so citation numbers follow the reading order.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from build_tools import schema
from build_tools.citations import Numbering, format_references
from build_tools.loader import CITATION, Corpus, citation_keys

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"

DOMAIN_ORDER = [d.value for d in schema.Domain]
LINE_ORDER = [line.value for line in schema.LineOfTherapy]
LINE_LABELS = {
    "general": "General measures",
    "first": "First line",
    "second": "Second line",
    "third": "Third line",
    "refractory": "Refractory disease",
    "rescue": "Rescue therapy",
    "adjunct": "Adjunctive therapy",
    "experimental": "Experimental",
    "not-applicable": "",
}


@dataclass
class Page:
    """A page to write: where, what, and which content files it depends on."""

    path: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    section: str = ""
    search_boost: float | None = None
    # Extra front matter for the theme (e.g. `calculator: id` makes main.html load the widget).
    meta: dict[str, Any] = field(default_factory=dict)


_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9-]{1,6}$")


def display_title(entry: schema.Entry) -> str:
    """A therapy's title with the abbreviation clinicians type: "Mycophenolate mofetil (MMF)".

    Titles weigh most in search and are what a reader scans in the navigation. Authors list
    that abbreviation as the first synonym.
    """
    first = entry.synonyms[0] if entry.synonyms else ""
    if (
        entry.kind == "therapy"
        and "(" not in entry.title
        and _ABBREVIATION.match(first)
        and sum(c.isupper() for c in first) >= 2
        and first.lower() not in entry.title.lower()
    ):
        return f"{entry.title} ({first})"
    return entry.title


def entry_path(entry: schema.Entry) -> str:
    folder = "therapies" if entry.kind == "therapy" else "topics"
    return f"{folder}/{entry.id}.md"


def relative(from_page: str, to_page: str) -> str:
    """A Markdown link target from one page source to another; MkDocs resolves .md links."""
    target, _, anchor = to_page.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(from_page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def cite_text(text: str, refs: Iterable[str], marks: Callable[[Iterable[str]], Markup]) -> str:
    """Escape content prose, put `marks` where it cites [@key], and append the item's refs.

    The site and the printed handbook share this; only how a citation mark looks differs.
    """
    out: list[str] = []
    pos = 0
    for match in CITATION.finditer(text):
        out.append(str(escape(text[pos : match.start()])).rstrip())
        out.append(str(marks(citation_keys(match.group(0)))))
        pos = match.end()
    out.append(str(escape(text[pos:])))
    inline = set(citation_keys(text))
    trailing = [r for r in refs if r not in inline]
    return "".join(out).rstrip() + str(marks(trailing))


class Citer:
    """Renders prose for one page, numbering its citations site-wide."""

    def __init__(self, numbering: Numbering, page: Page, corpus: Corpus) -> None:
        self.numbering = numbering
        self.page = page
        self.corpus = corpus

    def marks(self, keys: Iterable[str]) -> Markup:
        """Numbered citation links; MkDocs resolves (and validates) their targets."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return Markup("")
        parts = []
        for key in unique:
            n, anchor = self.numbering.cite(key, self.page.path, self.page.title)
            href = relative(self.page.path, f"references.md#ref-{key}")
            title = _short_citation(self.corpus.references[key]).replace('"', "'")
            title = str(escape(title)).replace("[", "(").replace("]", ")")
            parts.append(f'[{n}]({href} "{title}"){{#{anchor}}}')
        return Markup(f'<sup class="cite">{",".join(parts)}</sup>')

    def prose(self, text: str | None, refs: Iterable[str] = ()) -> Markup:
        """Escape content text, turn [@key] into numbered links, append the item's refs."""
        if not text:
            return Markup("")
        return Markup(cite_text(text, refs, self.marks))

    def cited(self, item: schema.Cited | None) -> Markup:
        if item is None:
            return Markup("")
        return self.prose(item.text, item.refs)

    def link(self, target_page: str, label: str) -> Markup:
        return Markup(f"[{escape(label)}]({relative(self.page.path, target_page)})")


def _short_citation(ref: schema.Reference) -> str:
    first = ref.author[0] if ref.author else None
    who = (first.family or first.literal or "") if first else (ref.container_title or "")
    if first and len(ref.author) > 1:
        who += " et al."
    year = ref.issued.date_parts[0][0] if ref.issued else ""
    return f"{who} {year}. {ref.title or ''}".strip()


def make_environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "pages"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["label"] = lambda v: str(v).replace("-", " ").capitalize()
    env.filters["quantity"] = format_quantity
    env.filters["tojson_pretty"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False)
    env.filters["cell"] = table_cell
    env.filters["anchor"] = anchor
    env.globals["STUDY_TYPE_LABELS"] = {k.value: v for k, v in schema.STUDY_TYPE_LABELS.items()}
    env.globals["LINE_LABELS"] = LINE_LABELS
    env.globals["DOMAIN_LABELS"] = {k.value: v for k, v in schema.DOMAIN_LABELS.items()}
    return env


def table_cell(value: object) -> Markup:
    """One Markdown table cell: a single line, with pipes escaped."""
    text = value if isinstance(value, Markup) else escape(value)
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


@dataclass
class Site:
    """The rendered result: page sources by path, the nav, and the machine-readable export."""

    pages: dict[str, str]
    nav: list[Any]
    export: dict[str, Any]
    abbreviations: str


def plan_pages(corpus: Corpus, extra: list[Page] | None = None) -> list[Page]:
    """Every page in reading order (which is also citation-numbering order)."""
    pages: list[Page] = []
    entries = list(corpus.entries.values())
    therapies = sorted(
        (e for e in entries if e.kind == "therapy"),
        key=lambda e: (LINE_ORDER.index(e.line_of_therapy.value), e.order, e.title.lower()),
    )
    topics = sorted((e for e in entries if e.kind == "topic"), key=lambda e: (e.order, e.title))
    by_id = {e.id: e for e in entries}

    pages.append(
        Page(
            "index.md",
            corpus.guideline.title,
            "home.md.j2",
            section="",
            context={"domains": corpus.domains},
        )
    )
    for domain in sorted(corpus.domains, key=lambda d: DOMAIN_ORDER.index(d.id.value)):
        steps = [{"step": s, "entries": [by_id[i] for i in s.entries]} for s in domain.steps]
        related = [e for e in therapies if domain.id in e.domains]
        pages.append(
            Page(
                f"domains/{domain.id.value}.md",
                domain.title,
                "domain.md.j2",
                section="Disease domains",
                context={"domain": domain, "steps": steps, "related": related},
                search_boost=2,
            )
        )
    for topic in topics:
        pages.append(
            Page(
                entry_path(topic),
                display_title(topic),
                "entry.md.j2",
                section="Clinical framework",
                context={"entry": topic},
            )
        )
    if corpus.antibodies:
        pages.append(
            Page(
                "antibodies.md",
                "Autoantibodies",
                "antibodies.md.j2",
                section="Clinical framework",
                context={"antibodies": corpus.antibodies},
                search_boost=1.5,
            )
        )
    for therapy in therapies:
        pages.append(
            Page(
                entry_path(therapy),
                display_title(therapy),
                "entry.md.j2",
                section="Therapies",
                context={"entry": therapy},
                search_boost=2,
            )
        )
    for algo in corpus.algorithms.values():
        pages.append(
            Page(
                f"algorithms/{algo.id}.md",
                algo.title,
                "algorithm.md.j2",
                section="Algorithms",
                context={"algorithm": algo},
            )
        )
    pages.extend(extra or [])
    pages.append(
        Page(
            "glossary.md",
            "Glossary",
            "glossary.md.j2",
            section="Reference",
            context={"terms": sorted(corpus.glossary, key=lambda t: t.term.lower())},
        )
    )
    pages.append(
        Page(
            "about.md",
            "About this guideline",
            "about.md.j2",
            section="Reference",
            context={"guideline": corpus.guideline, "discrepancies": corpus.discrepancies},
        )
    )
    pages.append(Page("references.md", "References", "references.md.j2", section="Reference"))
    pages.append(
        Page(
            "content-format.md",
            "Content format (for authors)",
            "format.md.j2",
            section="Reference",
            context={"schemas": content_schemas()},
        )
    )
    for page in pages:
        page.context.setdefault("entries_by_id", by_id)
    return pages


def content_schemas() -> list[dict[str, Any]]:
    """The JSON Schema of every content file kind, for the authors' page."""
    out = []
    for pattern, (model, is_list) in schema.CONTENT_FILES.items():
        out.append(
            {
                "pattern": f"content/{pattern}",
                "model": model.__name__,
                "is_list": is_list,
                "doc": (model.__doc__ or "").strip(),
                "schema": model.model_json_schema(by_alias=True),
            }
        )
    return out


def render_site(
    corpus: Corpus,
    extra_pages: list[Page] | None = None,
    extra_context: Callable[[Page, Citer], dict[str, Any]] | None = None,
    edition: str = "",
    calculator_titles: dict[str, str] | None = None,
) -> Site:
    """Render every planned page to Markdown, then the reference list from the numbering."""
    env = make_environment()
    numbering = Numbering()
    pages = plan_pages(corpus, extra_pages)
    out: dict[str, str] = {}
    formatted = format_references(list(corpus.references.values()))
    common = {
        "guideline": corpus.guideline,
        "edition": edition,
        "calculator_titles": calculator_titles or {},
        "source_citations": {k: v[1] for k, v in formatted.items()},
        "domain_ids": {d.id.value for d in corpus.domains},
    }
    for page in pages:
        if page.path == "references.md":
            continue
        citer = Citer(numbering, page, corpus)
        ctx = {
            **common,
            **page.context,
            "page": page,
            "cite": citer,
            "entry_path": entry_path,
            "link_path": _linker(page.path),
        }
        if extra_context:
            ctx.update(extra_context(page, citer))
        out[page.path] = _front_matter(page) + env.get_template(page.template).render(ctx)
    ref_page = next(p for p in pages if p.path == "references.md")
    rows = []
    for key in numbering.order:
        ref = corpus.references[key]
        sites = [
            (relative("references.md", f"{path}#{anchor}"), title)
            for path, anchor, title in numbering.sites[key]
        ]
        rows.append(
            {
                "n": numbering.number(key),
                "ref": ref,
                "html": Markup(formatted[key][0]),
                "sites": sites,
            }
        )
    uncited_here = [r for k, r in corpus.references.items() if k not in numbering.sites]
    out["references.md"] = _front_matter(ref_page) + env.get_template(ref_page.template).render(
        {**common, "rows": rows, "uncited": uncited_here, "formatted": formatted, "page": ref_page}
    )
    export = build_export(corpus, numbering, formatted, edition)
    return Site(
        pages=out,
        nav=build_nav(pages),
        export=export,
        abbreviations=build_abbreviations(corpus),
    )


def _linker(page_path: str) -> Callable[[str], str]:
    return lambda target: relative(page_path, target)


def _front_matter(page: Page) -> str:
    lines = ["---", f"title: {json.dumps(page.title, ensure_ascii=False)}"]
    if page.search_boost:
        lines += ["search:", f"  boost: {page.search_boost}"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in page.meta.items()]
    lines.append("---\n\n")
    return "\n".join(lines)


def build_nav(pages: list[Page]) -> list[Any]:
    nav: list[Any] = []
    sections: dict[str, list[Any]] = {}
    for page in pages:
        item = {page.title: page.path}
        if not page.section:
            nav.append(item)
            continue
        if page.section not in sections:
            sections[page.section] = []
            nav.append({page.section: sections[page.section]})
        sections[page.section].append(item)
    return nav


_ABBR_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/+.]*$")


def build_abbreviations(corpus: Corpus) -> str:
    """Glossary terms as Markdown abbreviations: the theme shows them as tooltips everywhere."""
    lines = []
    for term in corpus.glossary:
        if _ABBR_SAFE.match(term.term):
            lines.append(f"*[{term.term}]: {term.definition}")
    return "\n".join(lines) + "\n"


def build_export(
    corpus: Corpus, numbering: Numbering, formatted: dict[str, tuple[str, str]], edition: str
) -> dict[str, Any]:
    """guideline.json: the whole guideline with references resolved, for other tools."""

    def ref_json(key: str) -> dict[str, Any]:
        ref = corpus.references[key]
        return {
            "id": key,
            "number": numbering.number(key) if key in numbering.sites else None,
            "citation": formatted[key][1],
            "DOI": ref.DOI,
            "PMID": ref.PMID,
            "URL": ref.URL,
            "csl": json.loads(ref.model_dump_json(by_alias=True, exclude_none=True)),
        }

    def dump(model: Any) -> Any:
        return json.loads(model.model_dump_json(by_alias=True, exclude_none=True))

    return {
        "format": "myositis-guideline/1",
        "edition": edition,
        "guideline": dump(corpus.guideline),
        "domains": [dump(d) for d in corpus.domains],
        "entries": [dump(e) for e in corpus.entries.values()],
        "antibodies": [dump(a) for a in corpus.antibodies],
        "algorithms": [dump(a) for a in corpus.algorithms.values()],
        "glossary": [dump(t) for t in corpus.glossary],
        "citation_discrepancies": [dump(d) for d in corpus.discrepancies],
        "references": {k: ref_json(k) for k in corpus.references},
    }
