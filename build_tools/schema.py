"""The one definition of valid content.

The loader validates against these models, the tests exercise them, and the authors' page
("Content format") is rendered from their JSON Schema, so the three can never disagree.
This module declares; it reads no files and renders nothing.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from build_tools import prose

# --- vocabularies -------------------------------------------------------------------------

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=80)]
RefKey = Id
CalculatorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
# One line of plain text: a title, a label. Never markup: the publishers write it as text.
ONE_LINE = r"^[^\n\r]*$"
ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True, pattern=ONE_LINE)
]


def parsed_prose(value: str) -> str:
    """Prose must parse (build_tools.prose): what it cannot be is an error, not a filter."""
    try:
        prose.parse(value)
    except prose.ProseError as exc:
        raise ValueError(str(exc)) from None
    return value


# Prose in the small language of build_tools.prose: paragraphs, "- " lists, *emphasis*,
# **strong**, citations [@key] or [@key1; @key2], and [links](https://...). Nothing else.
Markdown = Annotated[
    str, StringConstraints(min_length=1, max_length=20_000), AfterValidator(parsed_prose)
]
# One line of prose (a glossary definition): the same language, as short as ShortText.
ShortProse = Annotated[ShortText, AfterValidator(parsed_prose)]

# A clinical amount as written in content: a number (never a boolean or text), finite, and
# within what any dose, level, count or duration in this guideline could be. An amount
# outside this is a typo (1e-300, 1e309) or an attack, not a clinical value.
AMOUNT_MIN = 1e-4
AMOUNT_MAX = 1e6
Amount = Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]
# Patients, positions and other counts: whole numbers of sensible size.
Count = Annotated[int, Field(strict=True, ge=1, le=10_000_000)]

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
PMID_PATTERN = r"^[1-9]\d{0,8}$"

# Where a statement's numbers come from. Content inherits "review" (the source reviews) from
# its source locator, its references or the object that holds it; only an exception is
# written down. The calculators declare the same four tiers (calculators.declaration.TIERS).
ContentTier = Literal["review", "checked", "convention", "unverified"]
# A number as a reader sees it: digits not glued to a name (MDA5, IL-6, anti-Jo-1, Ro52, CD20).
NUMBER = re.compile(r"(?<![A-Za-z\d.,])(?<![A-Za-z]-)\d+(?:[.,]\d+)*")
_CITED_KEYS = re.compile(r"\[@[^\]]*\]")
Quote = Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]


def numbers_in(text: str | None) -> list[str]:
    """The numbers a statement shows (citation keys such as [@smith-2020-x] are not numbers)."""
    return NUMBER.findall(_CITED_KEYS.sub(" ", text or ""))


class Domain(StrEnum):
    """Disease domains the sources organise refractory disease by."""

    GENERAL = "general"
    MUSCLE = "muscle"
    CUTANEOUS = "cutaneous"
    ILD = "ild"
    RPILD = "rp-ild"
    CALCINOSIS = "calcinosis"
    DYSPHAGIA = "dysphagia"
    CARDIAC = "cardiac"
    ARTHRITIS = "arthritis"
    MALIGNANCY = "malignancy"


DOMAIN_LABELS: dict[Domain, str] = {
    Domain.GENERAL: "General",
    Domain.MUSCLE: "Muscle",
    Domain.CUTANEOUS: "Cutaneous",
    Domain.ILD: "ILD",
    Domain.RPILD: "RP-ILD",
    Domain.CALCINOSIS: "Calcinosis",
    Domain.DYSPHAGIA: "Dysphagia",
    Domain.CARDIAC: "Cardiac",
    Domain.ARTHRITIS: "Arthritis",
    Domain.MALIGNANCY: "Malignancy",
}


class Subtype(StrEnum):
    """IIM subtypes as Huang & Pye classify them (plus juvenile DM, named in the sources)."""

    ALL = "all"
    DM = "DM"
    ADM = "ADM"
    ASYS = "ASyS"
    IMNM = "IMNM"
    IBM = "IBM"
    PM = "PM"
    OM = "OM"
    JDM = "JDM"


class StudyType(StrEnum):
    RCT = "rct"
    RCT_POST_HOC = "rct-post-hoc"
    PROSPECTIVE = "prospective-open-label"
    PROSPECTIVE_COHORT = "prospective-cohort"
    RETROSPECTIVE = "retrospective-cohort"
    CASE_SERIES = "case-series"
    CASE_REPORT = "case-report"
    META_ANALYSIS = "meta-analysis"
    SYSTEMATIC_REVIEW = "systematic-review"
    GUIDELINE = "guideline"
    CONSENSUS = "consensus"
    REGISTRY = "registry"
    CROSS_SECTIONAL = "cross-sectional"
    REVIEW = "review"
    EXPERT_OPINION = "expert-opinion"
    TRIAL_ONGOING = "ongoing-trial"


STUDY_TYPE_LABELS: dict[StudyType, str] = {
    StudyType.RCT: "Randomised controlled trial",
    StudyType.RCT_POST_HOC: "Post-hoc analysis of an RCT",
    StudyType.PROSPECTIVE: "Prospective open-label study",
    StudyType.PROSPECTIVE_COHORT: "Prospective cohort",
    StudyType.RETROSPECTIVE: "Retrospective cohort",
    StudyType.CASE_SERIES: "Case series",
    StudyType.CASE_REPORT: "Case report",
    StudyType.META_ANALYSIS: "Meta-analysis",
    StudyType.SYSTEMATIC_REVIEW: "Systematic review",
    StudyType.GUIDELINE: "Guideline",
    StudyType.CONSENSUS: "Consensus statement",
    StudyType.REGISTRY: "Registry study",
    StudyType.CROSS_SECTIONAL: "Cross-sectional study",
    StudyType.REVIEW: "Narrative review",
    StudyType.EXPERT_OPINION: "Expert opinion",
    StudyType.TRIAL_ONGOING: "Ongoing trial",
}


class LineOfTherapy(StrEnum):
    GENERAL = "general"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    REFRACTORY = "refractory"
    RESCUE = "rescue"
    ADJUNCT = "adjunct"
    EXPERIMENTAL = "experimental"
    NOT_APPLICABLE = "not-applicable"


class Route(StrEnum):
    ORAL = "oral"
    IV = "IV"
    SC = "SC"
    IM = "IM"
    TOPICAL = "topical"
    INTRALESIONAL = "intralesional"
    INHALED = "inhaled"
    OTHER = "other"


# Units a dose or measurement may carry. Anything else is a typo until proven otherwise.
UNITS: tuple[str, ...] = (
    "mg",
    "g",
    "mcg",
    "mg/kg",
    "g/kg",
    "mg/m2",
    "g/m2",
    "mg/day",
    "g/day",
    "mg/kg/day",
    "g/kg/day",
    "mg/week",
    "mg/kg/week",
    "mg/dose",
    "%",
    "% predicted",
    "mL/min",
    "mL/min/1.73m2",
    "months",
    "weeks",
    "days",
    "years",
    "U/L",
    "U/mL",
    "ng/mL",
    "mg/dL",
    "mg/L",
    "µmol/L",
    "IU/L",
    "mmHg",
    "points",
    "kg",
    "cm",
    "m2",
    "mL",
    "L",
    "cells/µL",
)
Unit = Literal[UNITS]  # type: ignore[valid-type]

FREQUENCIES_HELP = "free text as the source words it, e.g. 'twice daily', 'every 4 weeks'"

# Tags, script URLs, and attribute lists ({: onclick=...}) are the ways Markdown reaches the DOM.
_RAW_HTML = re.compile(
    r"<\s*/?\s*[a-zA-Z!?]|javascript\s*:|vbscript\s*:|data\s*:\s*text/html"
    r"|\{[^}\n]*\bon[a-z]+\s*=",
    re.IGNORECASE,
)


def reject_markup(value: str) -> str:
    """Content is text: no control characters (which could forge the generator's own marks),
    and no HTML, script URLs or event handlers, even where they would be escaped."""
    bad = prose.control_character(value)
    if bad is not None:
        raise ValueError(
            f"control character {prose.describe(value[bad])} is not allowed in content "
            f"(at character {bad + 1} of the text)"
        )
    match = _RAW_HTML.search(value)
    if match:
        raise ValueError(
            f"raw HTML or script is not allowed in content (found {match.group(0)!r}); "
            "write plain Markdown"
        )
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_markup(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, str):
                    reject_markup(value)
                elif isinstance(value, list):
                    for item in value:
                        if isinstance(item, str):
                            reject_markup(item)
        return data


# --- shared pieces -------------------------------------------------------------------------


class SourceLocator(Strict):
    """Where in which source document a statement was read, so a reviewer can check it."""

    document: RefKey = Field(
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
    calculator: CalculatorId | None = Field(
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
    antibodies: list[Id] = Field(default_factory=list)
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
    antibodies: list[Id] = Field(default_factory=list)
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
    calculators: list[CalculatorId] = Field(default_factory=list)
    see_also: list[Id] = Field(default_factory=list)
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
    entries: list[Id] = Field(default_factory=list)


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
    entries: list[Id] = Field(default_factory=list)
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


# --- references (CSL-JSON compatible) ---------------------------------------------------------


class Name(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @model_validator(mode="after")
    def _some_name(self) -> Name:
        if not (self.family or self.literal):
            raise ValueError("an author needs 'family' or 'literal'")
        return self


class DateParts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    date_parts: list[list[int]] = Field(alias="date-parts", min_length=1)


class CitedAs(Strict):
    source: RefKey
    number: int = Field(ge=1)


CslType = Literal[
    "article-journal",
    "book",
    "chapter",
    "report",
    "webpage",
    "paper-conference",
    "article",
    "legislation",
    "dataset",
    "thesis",
    "software",
    "manuscript",
    "entry",
]


class Reference(BaseModel):
    """A CSL-JSON item; `cited_as` and `identifier_note` are this project's extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    id: RefKey
    type: CslType
    author: list[Name] = Field(default_factory=list)
    title: str | None = None
    container_title: str | None = Field(default=None, alias="container-title")
    publisher: str | None = None
    issued: DateParts | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    DOI: str | None = Field(default=None, pattern=DOI_PATTERN)
    PMID: str | None = Field(default=None, pattern=PMID_PATTERN)
    PMCID: str | None = Field(default=None, pattern=r"^PMC\d+$")
    URL: str | None = Field(default=None, pattern=r"^https://[^\s<>\"]+$")
    accessed: DateParts | None = None
    note: str | None = None
    cited_as: list[CitedAs] = Field(default_factory=list)
    identifier_note: str | None = None

    @field_validator("volume", "issue", "page", mode="before")
    @classmethod
    def _stringify(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="before")
    @classmethod
    def _no_markup(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for k, v in data.items():
                if isinstance(v, str) and k != "URL":
                    reject_markup(v)
        return data

    @model_validator(mode="after")
    def _title_or_container(self) -> Reference:
        if not (self.title or self.container_title):
            raise ValueError("a reference needs a title or a container-title")
        return self


class Discrepancy(Strict):
    """A reviewed place where a printed citation number and the right paper differ."""

    id: Id
    source: RefKey
    section: ShortText
    excerpt: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    printed_number: int | None = None
    printed_points_to: RefKey | None = None
    resolved_to: list[RefKey] = Field(default_factory=list)
    kind: Literal[
        "number-drift", "duplicate-in-list", "missing-from-list", "pdf-web-mismatch", "other"
    ]
    reasoning: Markdown
    confidence: Literal["high", "medium", "low"]


class CitationMapItem(Strict):
    """One in-text citation of a source review, reconciled to the papers that support it."""

    source: RefKey
    section: ShortText
    excerpt: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    printed: list[int] = Field(default_factory=list)
    refs: list[RefKey] = Field(default_factory=list)


# Rebuild forward references declared out of order.
Entry.model_rebuild()
DomainPage.model_rebuild()

# What lives where in content/: the loader reads these, the format page documents them.
CONTENT_FILES: dict[str, tuple[type[BaseModel], bool]] = {
    # glob: (model, is_list)
    "guideline.yaml": (Guideline, False),
    "domains.yaml": (DomainPage, True),
    "entries/*.yaml": (Entry, False),
    "antibodies.yaml": (Antibody, True),
    "algorithms/*.yaml": (Algorithm, False),
    "glossary.yaml": (GlossaryTerm, True),
    "references/*.yaml": (Reference, True),
    "citation_discrepancies.yaml": (Discrepancy, True),
    "citation_map.yaml": (CitationMapItem, True),
}
