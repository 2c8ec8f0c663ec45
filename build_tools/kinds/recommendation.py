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

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from build_tools import schema
from build_tools.kinds.base import Kind, PagePlan

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
        print_template="print/recommendations.html.j2",
        title=lambda r: f"{r.id}: {r.title}",
        index="recommendations/index.md",
        index_template="recommendations-index.md.j2",
        index_title="Key recommendations",
    ),
)
