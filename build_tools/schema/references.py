"""References (CSL-JSON items) and the records that reconcile the reviews' citations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from build_tools.schema.vocabulary import (
    DOI_PATTERN,
    PMID_PATTERN,
    Id,
    Markdown,
    RefKey,
    ShortText,
    Strict,
    reject_markup,
)

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
    source: Id
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
    id: Id
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
