"""The vocabulary of valid content: identifiers, text kinds, amounts, enumerations.

Identifiers that name another object are typed by what they name (`Refers`): the loader
finds every cross-reference by walking the validated models for these annotations, so a
new field that names a reference, an entry, an antibody or a calculator is checked by
declaring its type, never by teaching the loader its key name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from build_tools import prose

# --- vocabularies -------------------------------------------------------------------------

Target = Literal["reference", "source", "entry", "regimen", "evidence", "antibody", "calculator"]


@dataclass(frozen=True)
class Refers:
    """Marks an identifier as naming another object of the corpus (a typed cross-reference).

    `target`: what it names. "reference": a key of content/references/; "source": one of the
    guideline's source reviews (guideline.yaml `sources`); "entry", "antibody": their ids;
    "regimen", "evidence": the id of a regimen or an evidence item of any entry;
    "calculator": a calculator id (checked when the calculators are present). Which kind
    defines the ids of a target is the kind registry's (`Kind.defines`).
    """

    target: Target


_ID = StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=80)
_CALCULATOR_ID = StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)

Id = Annotated[str, _ID]
# An identifier that names another object: the same text, typed by what it names.
RefKey = Annotated[str, _ID, Refers("reference")]
SourceKey = Annotated[str, _ID, Refers("source")]
EntryId = Annotated[str, _ID, Refers("entry")]
RegimenId = Annotated[str, _ID, Refers("regimen")]
EvidenceId = Annotated[str, _ID, Refers("evidence")]
AntibodyId = Annotated[str, _ID, Refers("antibody")]
CalculatorId = Annotated[str, _CALCULATOR_ID]
CalculatorRef = Annotated[str, _CALCULATOR_ID, Refers("calculator")]
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


DOMAIN_LABELS: Mapping[Domain, str] = {
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


STUDY_TYPE_LABELS: Mapping[StudyType, str] = {
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
