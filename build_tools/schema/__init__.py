"""The one definition of valid content.

The loader validates against these models, the tests exercise them, and the authors' page
("Content format") is rendered from their JSON Schema, so the three can never disagree.
This package declares; it reads no files and renders nothing. Its parts: the vocabulary
(identifiers typed by what they name, text kinds, enumerations), the content models, and
the references. Which model lives in which files is the kind registry's
(`build_tools.kinds`); `CONTENT_FILES` is derived from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from build_tools.schema.models import (
    Algorithm as Algorithm,
)
from build_tools.schema.models import (
    AlgorithmEdge as AlgorithmEdge,
)
from build_tools.schema.models import (
    AlgorithmNode as AlgorithmNode,
)
from build_tools.schema.models import (
    Antibody as Antibody,
)
from build_tools.schema.models import (
    Cited as Cited,
)
from build_tools.schema.models import (
    DomainLine as DomainLine,
)
from build_tools.schema.models import (
    DomainPage as DomainPage,
)
from build_tools.schema.models import (
    DomainStep as DomainStep,
)
from build_tools.schema.models import (
    Entry as Entry,
)
from build_tools.schema.models import (
    Evidence as Evidence,
)
from build_tools.schema.models import (
    Figure as Figure,
)
from build_tools.schema.models import (
    GlossaryTerm as GlossaryTerm,
)
from build_tools.schema.models import (
    Guideline as Guideline,
)
from build_tools.schema.models import (
    Quantity as Quantity,
)
from build_tools.schema.models import (
    Regimen as Regimen,
)
from build_tools.schema.models import (
    Section as Section,
)
from build_tools.schema.models import (
    SourceLocator as SourceLocator,
)
from build_tools.schema.models import (
    untiered_numbers as untiered_numbers,
)
from build_tools.schema.references import (
    CitationMapItem as CitationMapItem,
)
from build_tools.schema.references import (
    CitedAs as CitedAs,
)
from build_tools.schema.references import (
    CslType as CslType,
)
from build_tools.schema.references import (
    DateParts as DateParts,
)
from build_tools.schema.references import (
    Discrepancy as Discrepancy,
)
from build_tools.schema.references import (
    Name as Name,
)
from build_tools.schema.references import (
    Reference as Reference,
)
from build_tools.schema.vocabulary import (
    _CITED_KEYS as _CITED_KEYS,
)
from build_tools.schema.vocabulary import (
    AMOUNT_MAX as AMOUNT_MAX,
)
from build_tools.schema.vocabulary import (
    AMOUNT_MIN as AMOUNT_MIN,
)
from build_tools.schema.vocabulary import (
    DOI_PATTERN as DOI_PATTERN,
)
from build_tools.schema.vocabulary import (
    DOMAIN_LABELS as DOMAIN_LABELS,
)
from build_tools.schema.vocabulary import (
    FREQUENCIES_HELP as FREQUENCIES_HELP,
)
from build_tools.schema.vocabulary import (
    NUMBER as NUMBER,
)
from build_tools.schema.vocabulary import (
    ONE_LINE as ONE_LINE,
)
from build_tools.schema.vocabulary import (
    PMID_PATTERN as PMID_PATTERN,
)
from build_tools.schema.vocabulary import (
    STUDY_TYPE_LABELS as STUDY_TYPE_LABELS,
)
from build_tools.schema.vocabulary import (
    UNITS as UNITS,
)
from build_tools.schema.vocabulary import (
    Amount as Amount,
)
from build_tools.schema.vocabulary import (
    AntibodyId as AntibodyId,
)
from build_tools.schema.vocabulary import (
    CalculatorId as CalculatorId,
)
from build_tools.schema.vocabulary import (
    CalculatorRef as CalculatorRef,
)
from build_tools.schema.vocabulary import (
    ContentTier as ContentTier,
)
from build_tools.schema.vocabulary import (
    Count as Count,
)
from build_tools.schema.vocabulary import (
    Domain as Domain,
)
from build_tools.schema.vocabulary import (
    EntryId as EntryId,
)
from build_tools.schema.vocabulary import (
    EvidenceId as EvidenceId,
)
from build_tools.schema.vocabulary import (
    Id as Id,
)
from build_tools.schema.vocabulary import (
    LineOfTherapy as LineOfTherapy,
)
from build_tools.schema.vocabulary import (
    Markdown as Markdown,
)
from build_tools.schema.vocabulary import (
    Quote as Quote,
)
from build_tools.schema.vocabulary import (
    Refers as Refers,
)
from build_tools.schema.vocabulary import (
    RefKey as RefKey,
)
from build_tools.schema.vocabulary import (
    RegimenId as RegimenId,
)
from build_tools.schema.vocabulary import (
    Route as Route,
)
from build_tools.schema.vocabulary import (
    ShortProse as ShortProse,
)
from build_tools.schema.vocabulary import (
    ShortText as ShortText,
)
from build_tools.schema.vocabulary import (
    SourceKey as SourceKey,
)
from build_tools.schema.vocabulary import (
    Strict as Strict,
)
from build_tools.schema.vocabulary import (
    StudyType as StudyType,
)
from build_tools.schema.vocabulary import (
    Subtype as Subtype,
)
from build_tools.schema.vocabulary import (
    Target as Target,
)
from build_tools.schema.vocabulary import (
    Unit as Unit,
)
from build_tools.schema.vocabulary import (
    numbers_in as numbers_in,
)
from build_tools.schema.vocabulary import (
    parsed_prose as parsed_prose,
)
from build_tools.schema.vocabulary import (
    reject_markup as reject_markup,
)

if TYPE_CHECKING:
    from pydantic import BaseModel


def __getattr__(name: str) -> Any:
    """`CONTENT_FILES`: what lives where in content/ (glob: (model, is_list)), from the kind
    registry, which imports this package (so it is looked up when first asked for)."""
    if name == "CONTENT_FILES":
        from build_tools import kinds

        files: dict[str, tuple[type[BaseModel], bool]] = {
            kind.pattern: (kind.model, not kind.per_file) for kind in kinds.KINDS
        }
        return files
    raise AttributeError(name)
