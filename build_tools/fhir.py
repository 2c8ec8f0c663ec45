"""The guideline as a FHIR R5 Bundle, for systems that consume guidelines.

Follows HL7's evidence-based-medicine resources where they fit: a Citation per reference
(DOI and PMID as identifiers), an Evidence per evidence item (study design, the statistics the
entry holds with their units, confidence intervals and p values as printed), a PlanDefinition
per algorithm (its boxes as actions, its arrows as related actions with their conditions), a
Library per calculator (its inputs and outputs with UCUM units, pointing at the published
wheel), and each key recommendation as a PlanDefinition with its justification
(build_tools.fhir_recommendations). The JSON is written here from the validated content and
the calculator declarations; the tests validate every resource with a maintained FHIR model
library (`fhir.resources`).

Ids are derived from the content's own ids, never from positions, so a resource keeps its id
(and its canonical URL) from one edition to the next.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from build_tools import outline, schema
from build_tools.loader import Corpus

FOLDER = "fhir"
BUNDLE = "guideline.json"
UCUM = "http://unitsofmeasure.org"
DOI_SYSTEM = "https://doi.org"
PMID_SYSTEM = "https://pubmed.ncbi.nlm.nih.gov"
VARIABLE_ROLE = "http://hl7.org/fhir/variable-role"
LIBRARY_TYPE = "http://terminology.hl7.org/CodeSystem/library-type"
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"

UCUM_CODES: Mapping[str, str | None] = {
    "%": "%",
    "% predicted": "%",
    "U/L": "U/L",
    "U/mL": "U/mL",
    "cm": "cm",
    "days": "d",
    "doses/day": "{dose}/d",
    "fraction/month": "/mo",
    "g": "g",
    "g/day": "g/d",
    "g/kg": "g/kg",
    "kg": "kg",
    "kg/m²": "kg/m2",
    "m²": "m2",
    "mL/min": "mL/min",
    "mL/min/1.73 m²": "mL/min/{1.73_m2}",
    "mg": "mg",
    "mg/L": "mg/L",
    "mg/dL": "mg/dL",
    "mg/day": "mg/d",
    "mg/kg": "mg/kg",
    "mg/kg/day": "mg/kg/d",
    "mg/m²": "mg/m2",
    "months": "mo",
    "ng/mL": "ng/mL",
    "points": "{score}",
    "weeks": "wk",
    "years": "a",
    "µmol/L": "umol/L",
    "% or points": None,  # a PFT change in whichever the reader chose: no single unit
    "": None,
}
"""Every unit the calculators and content declare → its UCUM code (None: no unit applies).
A test fails when a declaration uses a unit missing here, so no unit is guessed."""

# Calculator output kinds → FHIR data types for ParameterDefinition.type.
_OUTPUT_TYPES: Mapping[str, str] = {
    "number": "Quantity",
    "integer": "integer",
    "boolean": "boolean",
    "text": "string",
    "range": "Range",
}
_FHIR_ID = re.compile(r"[^A-Za-z0-9.-]")


def fhir_id(*parts: str) -> str:
    """A FHIR id (letters, digits, '-' and '.', at most 64) from content ids."""
    text = _FHIR_ID.sub("-", ".".join(parts))
    return text if len(text) <= 64 else text[:55] + "." + _digest(text)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _quantity(value: float | int, unit: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value}
    if unit:
        out["unit"] = unit
        code = UCUM_CODES.get(unit)
        if code:
            out |= {"system": UCUM, "code": code}
    return out


class BundleWriter:
    """Builds the Bundle's entries, each with a canonical URL under the site's address."""

    def __init__(self, base: str, edition: str) -> None:
        self.base = base.rstrip("/") + "/"
        self.edition = edition
        self.entries: list[dict[str, Any]] = []

    def canonical(self, kind: str, rid: str) -> str:
        return f"{self.base}{FOLDER}/{kind}/{rid}"

    def add(self, resource: dict[str, Any]) -> None:
        kind, rid = resource["resourceType"], resource["id"]
        self.entries.append({"fullUrl": self.canonical(kind, rid), "resource": resource})

    def reference(self, kind: str, rid: str, display: str | None = None) -> dict[str, str]:
        out = {"reference": f"{kind}/{rid}"}
        if display:
            out["display"] = display
        return out

    def bundle(self) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "id": fhir_id("guideline", self.edition),
            "identifier": {"system": self.base, "value": f"guideline-{self.edition}"},
            "type": "collection",
            "entry": self.entries,
        }


def citation(ref: schema.Reference, writer: BundleWriter) -> dict[str, Any]:
    """A reference as a Citation: what it cites, with its identifiers and where published."""
    rid = fhir_id(ref.id)
    artifact: dict[str, Any] = {}
    identifiers = []
    if ref.DOI:
        identifiers.append({"system": DOI_SYSTEM, "value": ref.DOI})
    if ref.PMID:
        identifiers.append({"system": PMID_SYSTEM, "value": ref.PMID})
    if identifiers:
        artifact["identifier"] = identifiers
    if ref.title:
        artifact["title"] = [{"text": ref.title}]
    form: dict[str, Any] = {}
    if ref.container_title or ref.publisher:
        form["publishedIn"] = {}
        if ref.container_title:
            form["publishedIn"]["title"] = ref.container_title
        if ref.publisher:  # a Reference in R5; the publisher's name is what content holds
            form["publishedIn"]["publisher"] = {"display": ref.publisher}
    for key, value in (("volume", ref.volume), ("issue", ref.issue), ("pageString", ref.page)):
        if value:
            form[key] = value
    if ref.issued and ref.issued.date_parts and ref.issued.date_parts[0]:
        form["publicationDateText"] = "-".join(str(p) for p in ref.issued.date_parts[0])
    if form:
        artifact["publicationForm"] = [form]
    if ref.URL:
        artifact["webLocation"] = [{"url": ref.URL}]
    names = [n.literal or " ".join(p for p in (n.family, n.given) if p) for n in ref.author]
    if names:
        artifact["contributorship"] = {"summary": [{"value": ", ".join(names)}]}
    resource: dict[str, Any] = {
        "resourceType": "Citation",
        "id": rid,
        "url": writer.canonical("Citation", rid),
        "version": writer.edition,
        "status": "active",
        "citedArtifact": artifact,
    }
    if ref.identifier_note:
        resource["note"] = [{"text": ref.identifier_note}]
    return resource


def evidence(
    entry: schema.Entry, item: schema.Evidence, writer: BundleWriter, refs: set[str]
) -> dict[str, Any]:
    """An evidence item: its claim, design, population tags and statistics as printed."""
    rid = fhir_id(entry.id, item.id)
    population = "; ".join(
        part
        for part in (
            ", ".join(
                outline.DOMAIN_LABELS.get(d.value, str(d)) for d in item.domains or entry.domains
            ),
            ", ".join(str(s).upper() for s in item.subtypes),
            ", ".join(item.antibodies),
        )
        if part
    )
    statistics = []
    for figure in item.figures:
        stat: dict[str, Any] = {"description": figure.label}
        if isinstance(figure.value, int | float) and not isinstance(figure.value, bool):
            stat["quantity"] = _quantity(figure.value, figure.unit)
        else:
            stat["note"] = [{"text": f"as printed: {figure.value}"}]
        if item.n:
            stat["sampleSize"] = {"numberOfParticipants": item.n}
        estimates = []
        if figure.ci:
            estimates.append(
                {"type": {"text": "confidence interval"}, "description": f"as printed: {figure.ci}"}
            )
        if figure.p:
            estimates.append(
                {"type": {"text": "p-value"}, "description": f"as printed: {figure.p}"}
            )
        if estimates:
            stat["attributeEstimate"] = estimates
        statistics.append(stat)
    resource: dict[str, Any] = {
        "resourceType": "Evidence",
        "id": rid,
        "url": writer.canonical("Evidence", rid),
        "version": writer.edition,
        "title": f"{entry.title}: {item.id}",
        "status": "active",
        "description": item.claim,
        "variableDefinition": [
            {
                "description": population or "as described in the claim",
                "variableRole": {
                    "coding": [{"system": VARIABLE_ROLE, "code": "population"}],
                },
            }
        ],
        "studyDesign": [{"text": schema.STUDY_TYPE_LABELS[item.study_type]}],
        "relatedArtifact": [
            {
                "type": "citation",
                "resourceReference": writer.reference("Citation", fhir_id(key)),
            }
            for key in item.refs
            if key in refs
        ],
    }
    if statistics:
        resource["statistic"] = statistics
    return resource


def plan_definition(
    algo: schema.Algorithm, writer: BundleWriter, page_of: Mapping[str, str]
) -> dict[str, Any]:
    """An algorithm: each box an action; each arrow a related action, with its condition."""
    rid = fhir_id(algo.id)
    incoming: dict[str, list[schema.AlgorithmEdge]] = {}
    for edge in algo.edges:
        incoming.setdefault(edge.target, []).append(edge)
    actions = []
    for node in algo.nodes:
        action: dict[str, Any] = {"id": node.id, "title": node.label, "description": node.kind}
        docs = [
            {
                "type": "documentation",
                "display": eid,
                "document": {"url": writer.base + page_of[eid]},
            }
            for eid in node.entries
            if eid in page_of
        ]
        if docs:
            action["documentation"] = docs
        edges = incoming.get(node.id, [])
        if edges:
            action["relatedAction"] = [
                {"targetId": e.source, "relationship": "after-end"} for e in edges
            ]
            conditions = [
                {
                    "kind": "applicability",
                    "expression": {"description": f"after {e.source}: {e.condition}"},
                }
                for e in edges
                if e.condition
            ]
            if conditions:
                action["condition"] = conditions
        actions.append(action)
    return {
        "resourceType": "PlanDefinition",
        "id": rid,
        "url": writer.canonical("PlanDefinition", rid),
        "version": writer.edition,
        "title": algo.title,
        "type": {"coding": [{"system": PLAN_TYPE, "code": "clinical-protocol"}]},
        "status": "active",
        "description": algo.provenance,
        "relatedArtifact": [
            {"type": "citation", "resourceReference": writer.reference("Citation", fhir_id(k))}
            for k in algo.refs
        ],
        "action": actions,
    }


def input_type(item: object) -> str:
    """The FHIR data type of a calculator input, from its input class (calculators.inputs).

    Keyed on the class, not on its widget name, so a renamed kind cannot fall through to a
    wrong type unnoticed; an input class with no FHIR type here is refused, never guessed.
    A number that may instead be a named special value (DLCO "cannot be performed") has no
    single FHIR type: it is a string, and its documentation names the special values.
    """
    from calculators import inputs  # the calculators may be absent from a guideline

    types: tuple[tuple[type, str], ...] = (
        (inputs.NumberOrChoiceInput, "string"),  # before NumberInput: it is one
        (inputs.NumberInput, "Quantity"),
        (inputs.ChoiceInput, "code"),
        (inputs.BoolInput, "boolean"),
        (inputs.DateInput, "date"),
    )
    for cls, fhir_type in types:
        if isinstance(item, cls):
            return fhir_type
    raise TypeError(f"no FHIR type for calculator input {type(item).__name__}")


def _input_label(item: Any) -> str:
    """The input's label, with the named values a number may be given as instead."""
    special = getattr(item, "special_choices", ())
    if not special:
        return str(item.label)
    named = ", ".join(f"{value} ({label})" for value, label in special)
    return f"{item.label}: a number, or one of {named}"


def _parameter(
    name: str, use: str, fhir_type: str, label: str, unit: str | None, unit_extension: str
) -> dict[str, Any]:
    doc = label + (f" ({unit})" if unit else "")
    out: dict[str, Any] = {
        "name": name,
        "use": use,
        "min": 0,
        "max": "1",
        "type": fhir_type,
        "documentation": doc,
    }
    code = UCUM_CODES.get(unit or "")
    if code:
        out["extension"] = [
            {
                "url": unit_extension,
                "valueCoding": {"system": UCUM, "code": code, "display": unit},
            }
        ]
    return out


def library(
    calc: Any, writer: BundleWriter, wheel_url: str | None, refs: set[str]
) -> dict[str, Any]:
    """A calculator: its inputs and outputs with units, and the wheel that computes it."""
    rid = fhir_id(calc.id)
    # ParameterDefinition has no unit element; this guideline's own extension carries it.
    unit_extension = writer.canonical("StructureDefinition", "parameter-unit")
    parameters = [
        _parameter(
            i.name,
            "in",
            input_type(i),
            _input_label(i),
            getattr(i, "unit", None),
            unit_extension,
        )
        for i in calc.inputs
    ]
    parameters += [
        _parameter(
            o.name,
            "out",
            _OUTPUT_TYPES.get(o.kind, "string"),
            o.label,
            o.unit or None,
            unit_extension,
        )
        for o in calc.outputs
    ]
    resource: dict[str, Any] = {
        "resourceType": "Library",
        "id": rid,
        "url": writer.canonical("Library", rid),
        "version": calc.version,
        "name": "".join(part.capitalize() for part in calc.id.split("_")),
        "title": calc.title,
        "status": "active",
        "type": {"coding": [{"system": LIBRARY_TYPE, "code": "logic-library"}]},
        "description": calc.purpose,
        "relatedArtifact": [
            {"type": "citation", "resourceReference": writer.reference("Citation", fhir_id(k))}
            for k in calc.references
            if k in refs
        ]
        + [
            {
                "type": "documentation",
                "document": {"url": f"{writer.base}calculators/{calc.id}/"},
            }
        ],
        "parameter": parameters,
    }
    if wheel_url:
        resource["content"] = [
            {"contentType": "application/zip", "url": wheel_url, "title": "calculators wheel"}
        ]
    return resource


def build_bundle(
    corpus: Corpus,
    calculators: Iterable[Any],
    base: str,
    edition: str,
    wheel_name: str | None,
) -> dict[str, Any]:
    """The whole guideline as one Bundle of type collection."""
    writer = BundleWriter(base, edition)
    keys = set(corpus.references)
    for ref in corpus.references.values():
        writer.add(citation(ref, writer))
    for entry in corpus.entries.values():
        for item in entry.evidence:
            writer.add(evidence(entry, item, writer, keys))
    page_of = {
        e.id: f"{'therapies' if e.kind == 'therapy' else 'topics'}/{e.id}/"
        for e in corpus.entries.values()
    }
    for algo in corpus.algorithms.values():
        writer.add(plan_definition(algo, writer, page_of))
    for resource in _recommendations(corpus, writer, page_of):
        writer.add(resource)
    wheel_url = f"{writer.base}pyodide/{wheel_name}" if wheel_name else None
    for calc in calculators:
        writer.add(library(calc, writer, wheel_url, keys))
    return writer.bundle()


def _recommendations(
    corpus: Corpus, writer: BundleWriter, page_of: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The key recommendations, each a PlanDefinition and its justification
    (build_tools.fhir_recommendations), in the handbook's order."""
    from build_tools import fhir_recommendations
    from build_tools.kinds.recommendation import ordered

    entries = {e.id: (e.title, writer.base + page_of[e.id]) for e in corpus.entries.values()}
    regimens = {
        r.id: (r.label, f"{writer.base}{page_of[e.id]}#regimen-{r.id}")
        for e in corpus.entries.values()
        for r in e.regimens
    }
    evidence_ids = {v.id: fhir_id(e.id, v.id) for e in corpus.entries.values() for v in e.evidence}
    return fhir_recommendations.resources(
        ordered(corpus),
        writer,
        entries,
        regimens,
        evidence_ids,
        {a.id: a.name for a in corpus.antibodies},
    )


def dumps(bundle: Mapping[str, Any]) -> bytes:
    return (json.dumps(bundle, ensure_ascii=False, indent=1) + "\n").encode()
