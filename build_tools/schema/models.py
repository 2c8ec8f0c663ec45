"""The content models: statements with their sources, entries, domains, antibodies,
algorithms, the glossary and the guideline itself."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator

from build_tools.schema.vocabulary import (
    _CITED_KEYS,
    AMOUNT_MAX,
    AMOUNT_MIN,
    FREQUENCIES_HELP,
    ONE_LINE,
    Amount,
    AntibodyId,
    CalculatorRef,
    ContentTier,
    Count,
    Domain,
    EntryId,
    Id,
    LineOfTherapy,
    Markdown,
    Quote,
    RefKey,
    Route,
    ShortProse,
    ShortText,
    SourceKey,
    Strict,
    StudyType,
    Subtype,
    Unit,
    numbers_in,
)

# --- shared pieces -------------------------------------------------------------------------


class SourceLocator(Strict):
    """Where in which source document a statement was read, so a reviewer can check it."""

    document: SourceKey = Field(
        description="Reference id of the source review (content/references/sources.yaml)."
    )
    section: ShortText = Field(
        description="Section heading path as printed, e.g. 'Second line > Tacrolimus'."
    )
    quote: list[Quote] = Field(
        default_factory=list,
        description="The sentence(s) of the source this statement encodes, copied verbatim; "
        "shown to the reader on demand and exported. Every number of the statement must occur "
        "in its quote (tests/content/test_quotes.py).",
    )

    @field_validator("quote", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Cited(Strict):
    """A piece of prose and the references that support it.

    Its numbers are the source review's unless ``tier`` says otherwise: "checked" (another
    primary source, checked against it: say what in ``checked``), "convention" (this
    guideline's own choice), or "unverified" (left out of the default build and listed by
    ``label`` where it would have appeared).
    """

    text: Markdown
    refs: list[RefKey] = Field(
        default_factory=list, description="Reference ids supporting the text."
    )
    source: SourceLocator | None = None
    tier: ContentTier | None = Field(
        default=None, description="Only when not from the source review (the default)."
    )
    checked: ShortText | None = Field(
        default=None, description="For tier 'checked': what was checked against which paper."
    )
    label: ShortText | None = Field(
        default=None, description="For tier 'unverified': the name listed as left out."
    )

    @model_validator(mode="after")
    def _tier_details(self) -> Cited:
        if self.tier == "checked" and not self.checked:
            raise ValueError("tier 'checked' needs `checked:` (what was checked, against what)")
        if self.tier == "unverified" and not self.label:
            raise ValueError("tier 'unverified' needs `label:` (the name listed as left out)")
        return self

    @property
    def tier_known(self) -> bool:
        """Whether this statement's tier can be told without the object holding it."""
        return bool(self.tier or self.source or self.refs or _CITED_KEYS.search(self.text))


def untiered_numbers(items: list[tuple[str, Cited | None]]) -> list[str]:
    """Statements that show a number but carry nothing to tell where it comes from."""
    return [
        f"{where}: shows {', '.join(numbers_in(c.text)[:4])} but has no source, reference or "
        "tier, so where its numbers come from cannot be told (add `source:` with the review's "
        "section, the supporting `refs`, or `tier:`)"
        for where, c in items
        if c is not None and numbers_in(c.text) and not c.tier_known
    ]


class Quantity(Strict):
    """A dose or amount: a single value or a min–max range, with a unit from UNITS."""

    value: Amount | None = None
    min: Amount | None = None
    max: Amount | None = None
    unit: Unit
    per: ShortText | None = Field(default=None, description="e.g. 'dose', 'day', 'infusion'")

    @model_validator(mode="after")
    def _value_or_range(self) -> Quantity:
        for name in ("value", "min", "max"):
            amount = getattr(self, name)
            if amount is not None and not AMOUNT_MIN <= amount <= AMOUNT_MAX:
                raise ValueError(
                    f"{name} {amount:g} {self.unit} is outside the accepted range "
                    f"{AMOUNT_MIN:g}–{AMOUNT_MAX:,.0f} {self.unit}"
                )
        if self.value is None and (self.min is None or self.max is None):
            raise ValueError("give either value, or both min and max")
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("give value or min/max, not both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class Regimen(Strict):
    """A dosing regimen as a source states it; every field that carries a number is cited."""

    id: Id
    label: ShortText
    drug: ShortText
    route: Route
    dose: Quantity | None = None
    frequency: ShortText | None = Field(default=None, description=FREQUENCIES_HELP)
    duration: ShortText | None = None
    titration: Markdown | None = None
    maximum: Quantity | None = None
    target: Quantity | None = None
    renal_adjustment: Markdown | None = None
    notes: Markdown | None = None
    calculator: CalculatorRef | None = Field(
        default=None, description="Calculator that computes it."
    )
    refs: list[RefKey] = Field(min_length=1)
    source: SourceLocator


class Figure(Strict):
    """A number as reported: n, a proportion, a p-value, a ratio with its CI."""

    label: ShortText
    value: (
        Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e9, le=1e9)]
        | Annotated[int, Field(strict=True, ge=-1_000_000_000, le=1_000_000_000)]
        | ShortText
    )
    unit: Unit | None = None
    ci: ShortText | None = Field(default=None, description="Confidence interval as printed")
    p: ShortText | None = Field(default=None, description="p-value as printed, e.g. '<0.001'")


class Evidence(Strict):
    """One claim from the literature, as the source review reports it."""

    id: Id
    claim: Markdown
    study_type: StudyType
    domains: list[Domain] = Field(default_factory=list)
    subtypes: list[Subtype] = Field(default_factory=list)
    antibodies: list[AntibodyId] = Field(default_factory=list)
    n: Count | None = Field(default=None, description="Number of patients studied.")
    figures: list[Figure] = Field(default_factory=list)
    refs: list[RefKey] = Field(min_length=1)
    source: SourceLocator


class DomainLine(Strict):
    """The line of therapy a source gives a treatment in one domain (it differs by domain)."""

    domain: Domain
    line: LineOfTherapy
    note: ShortText | None = Field(
        default=None, description="The source's own words for the place, e.g. 'for severe ILD'."
    )
    refs: list[RefKey] = Field(min_length=1, description="The source that places it there.")


class Entry(Strict):
    """A therapy monograph or a topic page (framework, diagnostics, prognosis, screening)."""

    id: Id
    title: ShortText
    kind: Literal["therapy", "topic"]
    synonyms: list[ShortText] = Field(
        default_factory=list, description="Names a reader may search for."
    )
    drug_class: ShortText | None = None
    medicines: list[ShortText] = Field(
        default_factory=list,
        description=(
            "Active substances whose official product information (FDA label, EU SmPC) the "
            "therapy page points to for what the sources do not say about safety."
        ),
    )
    line_of_therapy: LineOfTherapy = LineOfTherapy.NOT_APPLICABLE
    lines: list[DomainLine] = Field(
        default_factory=list,
        description="The line per domain where the sources differ by domain; shown instead of "
        "the single line (which still places the entry in the navigation).",
    )
    trial_phase: ShortText | None = Field(default=None, description="For experimental agents.")
    domains: list[Domain] = Field(min_length=1)
    subtypes: list[Subtype] = Field(default_factory=list)
    antibodies: list[AntibodyId] = Field(default_factory=list)
    summary: Cited
    sections: list[Section] = Field(default_factory=list)
    regimens: list[Regimen] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    monitoring: list[Cited] = Field(default_factory=list)
    cautions: list[Cited] = Field(default_factory=list)
    safety: list[Cited] = Field(
        default_factory=list,
        description=(
            "The source reviews' other statements on safety or tolerability, in their words: "
            "the therapy page's Safety and monitoring block lists them with the monitoring "
            "and cautions."
        ),
    )
    calculators: list[CalculatorRef] = Field(default_factory=list)
    see_also: list[EntryId] = Field(default_factory=list)
    source: SourceLocator
    order: int = Field(
        default=100, description="Position among entries of the same line of therapy."
    )


class Section(Strict):
    """A titled block of prose inside a topic or therapy page."""

    title: ShortText
    paragraphs: list[Cited] = Field(min_length=1)


class DomainPage(Strict):
    """A disease-domain page: what the sources say, then the options in order."""

    id: Domain
    title: ShortText
    summary: Cited
    steps: list[DomainStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbers_have_a_tier(self) -> DomainPage:
        problems = untiered_numbers(
            [("summary", self.summary)] + [(f"step {s.title!r}", s.text) for s in self.steps]
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class DomainStep(Strict):
    title: ShortText
    text: Cited | None = None
    entries: list[EntryId] = Field(default_factory=list)


class Antibody(Strict):
    id: Id
    name: ShortText
    antigen: ShortText | None = None
    group: Literal["antisynthetase", "msa", "maa"]
    synonyms: list[ShortText] = Field(default_factory=list)
    phenotype: Cited | None = None
    ild: Cited | None = None
    cancer: Cited | None = None
    notes: list[Cited] = Field(default_factory=list)

    @model_validator(mode="after")
    def _numbers_have_a_tier(self) -> Antibody:
        problems = untiered_numbers(
            [("phenotype", self.phenotype), ("ild", self.ild), ("cancer", self.cancer)]
            + [(f"note {i}", n) for i, n in enumerate(self.notes, start=1)]
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class AlgorithmNode(Strict):
    id: Id
    label: ShortText
    kind: Literal["start", "step", "decision", "therapy", "end"]
    entries: list[EntryId] = Field(default_factory=list)
    refs: list[RefKey] = Field(default_factory=list)
    source: SourceLocator | None = Field(
        default=None, description="Where the node's words were read, with the quote."
    )


class AlgorithmEdge(Strict):
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    condition: ShortText | None = None
    refs: list[RefKey] = Field(default_factory=list)
    # `source` is the edge's start node (YAML `from`), so the locator has its own name.
    read_at: SourceLocator | None = Field(
        default=None, description="Where the condition was read, with the quote."
    )
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Algorithm(Strict):
    """A treatment algorithm as data; reconstructed ones say from which text."""

    id: Id
    title: ShortText
    reconstructed: bool
    provenance: Markdown = Field(
        description="What the algorithm was built from, and what it is not."
    )
    nodes: list[AlgorithmNode] = Field(min_length=2)
    edges: list[AlgorithmEdge] = Field(min_length=1)
    refs: list[RefKey] = Field(min_length=1)
    source: SourceLocator


class GlossaryTerm(Strict):
    term: Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=ONE_LINE)]
    definition: ShortProse
    refs: list[RefKey] = Field(default_factory=list)


class Guideline(Strict):
    """content/guideline.yaml: what this guideline is and where it came from."""

    title: ShortText
    subtitle: ShortText | None = None
    date: ShortText = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    sources: list[RefKey] = Field(min_length=1)
    disclaimer: Markdown
    about: list[Section] = Field(default_factory=list)


# Rebuild forward references declared out of order.
Entry.model_rebuild()
DomainPage.model_rebuild()
