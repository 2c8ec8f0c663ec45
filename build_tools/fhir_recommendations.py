"""The guideline's key recommendations in the FHIR Bundle (build_tools.fhir).

Each recommendation (build_tools.kinds.recommendation) becomes two resources, the way HL7's
clinical-guideline (CPG) and evidence-based-medicine (EBM) implementation guides split a
recommendation from its justification:

- a PlanDefinition of type `eca-rule`, shaped as the CPG's recommendation definition: its
  statement, whom it is for (the population as the action's applicability condition and as
  the plan's clinical focus), and one action that points at the therapy or topic pages and
  the regimens it uses; its references as citations, the source sentence it encodes as what
  it is derived from, and its justification;
- an ArtifactAssessment following the R5 `ebmrecommendation` profile (the EBM guide's
  RecommendationJustification): the grade exactly as the source prints it, or, where the
  source is a narrative review that grades nothing, an explicit "not graded" for both the
  strength of the recommendation and the certainty of the evidence, never an invented grade;
  and the basis: the Evidence resources of the items it rests on and the Citations of its
  references, all already in the Bundle.

The CPG guide is written for FHIR R4 and this Bundle is R5, so its profile is followed in
shape but not claimed in `meta.profile`; the R5 core `ebmrecommendation` profile is claimed.
Ids come from the recommendation's own id (R-ILD-03 → PlanDefinition/R-ILD-03 and
ArtifactAssessment/R-ILD-03.justification), which is never changed or reused, so both keep
their ids and canonical URLs from one edition to the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from build_tools import outline
from build_tools.fhir import PLAN_TYPE, BundleWriter, fhir_id

if TYPE_CHECKING:
    from build_tools.kinds.recommendation import Recommendation

EBM_PROFILE: Final = "http://hl7.org/fhir/StructureDefinition/ebmrecommendation"
EBM_TYPES: Final = "https://fevir.net/resources/CodeSystem/179423"
"""The EBM guide's codes for what a piece of a recommendation's justification is."""
ARTIFACT_URL: Final = "http://hl7.org/fhir/StructureDefinition/artifact-url"
ARTIFACT_VERSION: Final = "http://hl7.org/fhir/StructureDefinition/artifact-version"
CONTEXT_TYPE: Final = "http://terminology.hl7.org/CodeSystem/usage-context-type"
STRENGTH_EXTENSION: Final = "http://hl7.org/fhir/StructureDefinition/cqf-strengthOfRecommendation"
QUALITY_EXTENSION: Final = "http://hl7.org/fhir/StructureDefinition/cqf-qualityOfEvidence"
NOT_GRADED: Final = "not graded"

_TYPE_DISPLAY: Final[Mapping[str, str]] = {
    "rating-system": "Rating System",
    "strength-of-recommendation": "Strength of Recommendation",
    "certainty-of-evidence": "Certainty of Evidence",
    "evidence": "Evidence",
}


def _ebm_type(code: str) -> dict[str, Any]:
    return {"coding": [{"system": EBM_TYPES, "code": code, "display": _TYPE_DISPLAY[code]}]}


def justification_id(rec: Recommendation) -> str:
    return fhir_id(rec.id, "justification")


def population_text(rec: Recommendation, antibody_names: Mapping[str, str]) -> str:
    """Whom the recommendation is for, labelled as the page's scope line labels it (domains,
    subtypes, antibodies), with the severity in the source's words; the statement says how
    they combine."""
    pop = rec.population
    parts = [
        "Domains: " + ", ".join(outline.DOMAIN_LABELS.get(d.value, d.value) for d in pop.domains)
    ]
    if pop.subtypes:
        parts.append("Subtypes: " + ", ".join(s.value for s in pop.subtypes))
    if pop.antibodies:
        parts.append("Antibodies: " + ", ".join(antibody_names.get(a, a) for a in pop.antibodies))
    if pop.severity:
        parts.append(f"Severity: {pop.severity}")
    return "; ".join(parts)


def plan_definition(
    rec: Recommendation,
    writer: BundleWriter,
    entries: Mapping[str, tuple[str, str]],
    regimens: Mapping[str, tuple[str, str]],
    antibody_names: Mapping[str, str],
) -> dict[str, Any]:
    """A recommendation as an ECA rule: for this population, do this, on this basis.

    `entries` maps an entry id to (title, page URL); `regimens` a regimen id to (label, the
    URL of its row on its entry's page).
    """
    from build_tools.kinds.recommendation import ACTION_LABELS

    rid = fhir_id(rec.id)
    population = population_text(rec, antibody_names)
    titles = [entries[e][0] for e in rec.action.entries if e in entries]
    action: dict[str, Any] = {
        "id": "action",
        "title": ACTION_LABELS[rec.action.kind] + (": " + ", ".join(titles) if titles else ""),
        "description": rec.statement,
        "condition": [{"kind": "applicability", "expression": {"description": population}}],
    }
    documentation = [
        {"type": "documentation", "display": entries[e][0], "document": {"url": entries[e][1]}}
        for e in rec.action.entries
        if e in entries
    ] + [
        {"type": "documentation", "display": regimens[r][0], "document": {"url": regimens[r][1]}}
        for r in rec.action.regimens
        if r in regimens
    ]
    if documentation:
        action["documentation"] = documentation
    if rec.grade is not None:  # the CPG's place for a printed grade, beside the assessment
        action["extension"] = [
            {"url": STRENGTH_EXTENSION, "valueCodeableConcept": {"text": rec.grade.strength}}
        ]
        if rec.grade.certainty:
            action["extension"].append(
                {"url": QUALITY_EXTENSION, "valueCodeableConcept": {"text": rec.grade.certainty}}
            )
    quotes = " ".join(f"“{q}”" for q in rec.source.quote)
    related: list[dict[str, Any]] = [
        {
            "type": "documentation",
            "display": f"{rec.id} on the guideline's site",
            "document": {"url": f"{writer.base}recommendations/{rec.id}/"},
        },
        {
            "type": "derived-from",
            "label": rec.source.section,
            "display": quotes,
            "resourceReference": writer.reference("Citation", fhir_id(rec.source.document)),
        },
        {
            "type": "justification",
            "resourceReference": writer.reference("ArtifactAssessment", justification_id(rec)),
        },
    ]
    related += [
        {"type": "citation", "resourceReference": writer.reference("Citation", fhir_id(k))}
        for k in rec.basis.refs
    ]
    focus = [outline.DOMAIN_LABELS.get(d.value, d.value) for d in rec.population.domains]
    return {
        "resourceType": "PlanDefinition",
        "id": rid,
        "url": writer.canonical("PlanDefinition", rid),
        "identifier": [{"system": f"{writer.base}recommendations", "value": rec.id}],
        "version": writer.edition,
        "name": rid.replace("-", "_").replace(".", "_"),
        "title": rec.title,
        "type": {"coding": [{"system": PLAN_TYPE, "code": "eca-rule", "display": "ECA Rule"}]},
        "status": "active",
        "description": rec.statement,
        "useContext": [
            {
                "code": {"system": CONTEXT_TYPE, "code": "focus"},
                "valueCodeableConcept": {"text": label},
            }
            for label in focus
        ],
        "relatedArtifact": related,
        "action": [action],
    }


def _grading(rec: Recommendation) -> list[dict[str, Any]]:
    """The grade as printed; or "not graded" for strength and certainty, saying why."""
    if rec.grade is None:
        from build_tools.kinds.recommendation import NOT_GRADED as WHY

        return [
            {
                "informationType": "classifier",
                "type": _ebm_type(code),
                "classifier": [{"text": NOT_GRADED}],
                "summary": WHY,
            }
            for code in ("strength-of-recommendation", "certainty-of-evidence")
        ]
    grade = rec.grade
    out = [
        {
            "informationType": "classifier",
            "type": _ebm_type("rating-system"),
            "classifier": [{"text": grade.system}],
        },
        {
            "informationType": "rating",
            "type": _ebm_type("strength-of-recommendation"),
            "classifier": [{"text": grade.strength}],
            "summary": "as printed by the source",
        },
    ]
    if grade.certainty:
        out.append(
            {
                "informationType": "rating",
                "type": _ebm_type("certainty-of-evidence"),
                "classifier": [{"text": grade.certainty}],
                "summary": "as printed by the source",
            }
        )
    return out


def justification(
    rec: Recommendation, writer: BundleWriter, evidence_ids: Mapping[str, str]
) -> dict[str, Any]:
    """What the recommendation rests on and how strongly: an ArtifactAssessment.

    `evidence_ids` maps an evidence item's id to its Evidence resource's id.
    """
    rid = justification_id(rec)
    basis = [
        {
            "type": "justification",
            "resourceReference": writer.reference("Evidence", evidence_ids[v]),
        }
        for v in rec.basis.evidence
        if v in evidence_ids
    ] + [
        {"type": "citation", "resourceReference": writer.reference("Citation", fhir_id(k))}
        for k in rec.basis.refs
    ]
    return {
        "resourceType": "ArtifactAssessment",
        "id": rid,
        "meta": {"profile": [EBM_PROFILE]},
        "extension": [
            {"url": ARTIFACT_URL, "valueUri": writer.canonical("ArtifactAssessment", rid)},
            {"url": ARTIFACT_VERSION, "valueString": writer.edition},
        ],
        "title": f"Justification of {rec.id}: {rec.title}",
        "artifactReference": writer.reference("PlanDefinition", fhir_id(rec.id)),
        "content": [
            *_grading(rec),
            {
                "informationType": "container",
                "type": _ebm_type("evidence"),
                "summary": "The evidence items and references the recommendation rests on.",
                "relatedArtifact": basis,
            },
        ],
    }


def resources(
    recommendations: list[Recommendation],
    writer: BundleWriter,
    entries: Mapping[str, tuple[str, str]],
    regimens: Mapping[str, tuple[str, str]],
    evidence_ids: Mapping[str, str],
    antibody_names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Every recommendation's PlanDefinition and ArtifactAssessment, in the given order."""
    out = []
    for rec in recommendations:
        out.append(plan_definition(rec, writer, entries, regimens, antibody_names))
        out.append(justification(rec, writer, evidence_ids))
    return out
