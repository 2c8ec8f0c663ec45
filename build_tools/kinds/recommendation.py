"""content/recommendations/*.yaml: the source reviews' actionable statements, one per file.

A recommendation says what to do, for whom, on what basis, and how strongly, in the
source's own words: its statement is traceable to a sentence of the review
(`source.quote`, verbatim, checked by tests/content/test_quotes.py). Its id never changes
once published and is never reused, so a link or a citation of it keeps working across
editions. A grade is given only where the source prints one; the two reviews this guideline
encodes are narrative reviews that grade nothing, so their recommendations say so
explicitly instead of carrying an invented grade.

Adding this kind took this module and its templates (site_templates/recommendation*.md.j2,
site_templates/print/recommendations.html.j2): the loader, the references check and the
schema page find it through the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from build_tools import schema
from build_tools.kinds.base import Kind, PagePlan

if TYPE_CHECKING:
    from build_tools.corpus import Corpus

# R-<area>-<two digits>: R-ILD-03, R-MDA5-01. Published once, never changed, never reused.
RecommendationId = Annotated[
    str, StringConstraints(pattern=r"^R-[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\d{2}$", max_length=40)
]

NOT_GRADED = "Not graded by the source: narrative review"


class QuotedLocator(schema.SourceLocator):
    """Where the recommendation was read: the section, and its sentence(s) verbatim."""

    quote: list[schema.Quote] = Field(
        min_length=1,
        description="The sentence(s) of the source the recommendation encodes, verbatim.",
    )


class Population(schema.Strict):
    """Whom it is for: the domain(s), and the subtype, antibody or severity where the
    source narrows it."""

    domains: list[schema.Domain] = Field(min_length=1)
    subtypes: list[schema.Subtype] = Field(default_factory=list)
    antibodies: list[schema.AntibodyId] = Field(default_factory=list)
    severity: schema.ShortText | None = Field(
        default=None, description="In the source's words, e.g. 'refractory', 'rapidly progressive'."
    )


class Action(schema.Strict):
    """What is done: a therapy, a test, or another measure, with the pages that detail it."""

    kind: Literal["therapy", "test", "measure"]
    entries: list[schema.EntryId] = Field(
        default_factory=list, description="The therapy or topic pages of the action."
    )
    regimens: list[schema.RegimenId] = Field(
        default_factory=list, description="Regimens (by id) the action uses, where dosed."
    )


class Basis(schema.Strict):
    """What the recommendation rests on: evidence items of the entries, and references."""

    evidence: list[schema.EvidenceId] = Field(default_factory=list)
    refs: list[schema.RefKey] = Field(min_length=1)


class Grade(schema.Strict):
    """A grade exactly as the source prints it (never derived by this guideline)."""

    system: schema.ShortText = Field(description="The grading system the source uses.")
    strength: schema.ShortText
    certainty: schema.ShortText | None = None


class Recommendation(schema.Strict):
    """A key recommendation of a source review: statement, population, action, basis, grade."""

    id: RecommendationId = Field(description="Stable id, e.g. R-ILD-03: never changed or reused.")
    title: schema.ShortText = Field(description="A short label for listings.")
    statement: schema.Markdown = Field(
        description="The recommendation in the source's words (its quote is in `source`)."
    )
    population: Population
    action: Action
    basis: Basis
    grade: Grade | None = Field(default=None, description="Only where the source grades it.")
    ungraded: Literal["narrative review"] | None = Field(
        default=None,
        description="Why there is no grade: the source is a narrative review and grades nothing.",
    )
    rationale: schema.Markdown | None = None
    remarks: schema.Markdown | None = None
    source: QuotedLocator
    order: int = Field(default=100, description="Position among the recommendations of a domain.")

    @model_validator(mode="after")
    def _graded_or_said_why_not(self) -> Recommendation:
        if (self.grade is None) == (self.ungraded is None):
            raise ValueError(
                "give either `grade:` (as the source prints it) or `ungraded: narrative "
                "review`, exactly one: a grade is never invented"
            )
        return self

    @property
    def grading(self) -> str:
        """The grade as shown, or the explicit statement that the source grades nothing."""
        if self.grade is None:
            return NOT_GRADED
        certainty = f", {self.grade.certainty}" if self.grade.certainty else ""
        return f"{self.grade.strength}{certainty} ({self.grade.system})"


ACTION_LABELS: Mapping[str, str] = {"therapy": "Therapy", "test": "Test", "measure": "Measure"}


def _shared(corpus: Corpus) -> dict[str, Any]:
    """What every recommendation template shows: labels and titles by id."""
    return {
        "domain_labels": {d.value: label for d, label in schema.DOMAIN_LABELS.items()},
        "domain_ids": {d.id.value for d in corpus.domains},
        "antibody_names": {a.id: a.name for a in corpus.antibodies},
        "action_labels": ACTION_LABELS,
        "entry_titles": {e.id: e.title for e in corpus.entries.values()},
        "source_title_of": {
            key: _author_year(corpus.references[key]) for key in corpus.guideline.sources
        },
    }


def _author_year(ref: schema.Reference) -> str:
    names = [a.family or a.literal or "" for a in ref.author]
    who = " & ".join(names) if len(names) <= 2 else f"{names[0]} et al."
    year = ref.issued.date_parts[0][0] if ref.issued else ""
    return f"{who} {year}".strip()


def page_context(rec: Recommendation, corpus: Corpus) -> dict[str, Any]:
    """A recommendation's page: the entries, regimens and evidence it names, resolved."""
    regimens = {r.id: (r, e) for e in corpus.entries.values() for r in e.regimens}
    evidence = {v.id: (v, e) for e in corpus.entries.values() for v in e.evidence}
    shared = _shared(corpus)
    return {
        **shared,
        "recommendation": rec,
        "linked_entries": [corpus.entries[e] for e in rec.action.entries],
        "regimens": [regimens[r] for r in rec.action.regimens],
        "evidence": [evidence[v] for v in rec.basis.evidence],
        "source_title": shared["source_title_of"].get(rec.source.document, rec.source.document),
    }


def ordered(corpus: Corpus) -> list[Recommendation]:
    """In the order of the domains, then `order`, then id: the numbering of the handbook."""
    rank = {d: i for i, d in enumerate(schema.Domain)}
    return sorted(
        corpus.recommendations.values(),
        key=lambda r: (rank[r.population.domains[0]], r.order, r.id),
    )


def naming(recs: list[Recommendation], corpus: Corpus) -> dict[str, list[Recommendation]]:
    """The recommendations that name an antibody (`antibody:<id>`, their population) or a
    calculator (`calculator:<id>`, through a regimen of their action that it computes), in
    the order of `recs`: the key recommendations of the handbook's antibody and calculator
    sections. An algorithm is named by none (its steps name entries, whose monographs
    carry their own)."""
    computes = {g.id: g.calculator for e in corpus.entries.values() for g in e.regimens}
    found: dict[str, list[Recommendation]] = {}
    for rec in recs:
        keys = [f"antibody:{a}" for a in rec.population.antibodies]
        keys += [f"calculator:{computes[g]}" for g in rec.action.regimens if computes.get(g)]
        for key in dict.fromkeys(keys):
            found.setdefault(key, []).append(rec)
    return found


def index_context(corpus: Corpus) -> dict[str, Any]:
    """The listing: every recommendation under each of its domains, and by subtype and
    antibody (static lists that work as filters in print and without scripts)."""
    recs = ordered(corpus)
    names = {a.id: a.name for a in corpus.antibodies}
    by_domain = [
        (d.value, label, [r for r in recs if d in r.population.domains])
        for d, label in schema.DOMAIN_LABELS.items()
    ]
    by_subtype = [
        (s.value, [r for r in recs if s in r.population.subtypes]) for s in schema.Subtype
    ]
    antibodies = [a.id for a in corpus.antibodies]
    by_antibody = [
        (a, names.get(a, a), [r for r in recs if a in r.population.antibodies]) for a in antibodies
    ]
    return {
        **_shared(corpus),
        "recommendations": recs,
        "graded": [r for r in recs if r.grade is not None],
        "numbers": {r.id: i for i, r in enumerate(recs, start=1)},
        "by_domain": [group for group in by_domain if group[2]],
        # The handbook prints each once, under its first domain, numbered in this order.
        "by_first_domain": [
            (d, label, [r for r in items if r.population.domains[0].value == d])
            for d, label, items in by_domain
            if any(r.population.domains[0].value == d for r in items)
        ],
        "by_subtype": [group for group in by_subtype if group[1]],
        "by_antibody": [group for group in by_antibody if group[2]],
    }


KIND = Kind(
    name="recommendations",
    model=Recommendation,
    pattern="recommendations/*.yaml",
    per_file=True,
    shape="keyed",
    summary=lambda r: r.title,
    unique="recommendation",
    pages=PagePlan(
        section="Recommendations",
        path="recommendations/{id}.md",
        template="recommendation.md.j2",
        print_template="recommendations.html.j2",
        title=lambda r: r.title,
        index="recommendations/index.md",
        index_template="recommendations-index.md.j2",
        index_title="Key recommendations",
        context=page_context,
        index_context=index_context,
    ),
)
