"""The guideline for other systems: the FHIR R5 Bundle, the reference-manager files, and the
public address they (and the site) use.

The Bundle is checked resource by resource with a maintained FHIR model library
(`fhir.resources`), and the reference files are read back with the libraries that wrote them.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import rispy
from bibtexparser.entrypoint import parse_string
from fhir.resources import get_fhir_model_class
from pypdf import PdfReader

from build_tools import deploycheck, fhir, fhir_recommendations, refexport, siteurl
from build_tools.context import CalculatorCatalog
from build_tools.exports import page_references
from build_tools.loader import Corpus, load_content
from build_tools.store import ContentStore
from calculators.registry import CALCULATORS
from tests.conftest import FIXTURE_CONTENT, ROOT, build_site
from tests.qrdecode import decode_qr_codes

PUBLIC = "https://guideline.example.org/myositis/"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_content(ContentStore(), ROOT / "content", CalculatorCatalog.from_registry())


@pytest.fixture(scope="module")
def bundle(corpus: Corpus) -> dict[str, Any]:
    return fhir.build_bundle(corpus, CALCULATORS.values(), PUBLIC, "2026.1", "calculators.whl")


def _resources(bundle: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        e["resource"]["id"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == kind
    }


def test_the_bundle_holds_one_resource_per_reference_evidence_item_algorithm_and_calculator(
    corpus: Corpus, bundle: dict[str, Any]
) -> None:
    kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert len(corpus.recommendations) == 31
    assert kinds == {
        "Citation": len(corpus.references),
        "Evidence": sum(len(e.evidence) for e in corpus.entries.values()),
        # one per algorithm, and one per key recommendation
        "PlanDefinition": len(corpus.algorithms) + len(corpus.recommendations),
        "ArtifactAssessment": len(corpus.recommendations),  # each recommendation's grading
        "Library": len(CALCULATORS),
    }
    assert len({e["fullUrl"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_every_resource_validates_as_fhir_r5(bundle: dict[str, Any]) -> None:
    problems = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        try:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        except ValueError as exc:
            problems.append(f"{resource['resourceType']}/{resource['id']}: {exc}")
    assert problems == []
    get_fhir_model_class("Bundle").model_validate(bundle)


def _references(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def test_references_inside_the_bundle_resolve(bundle: dict[str, Any]) -> None:
    present = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    dangling = sorted(set(_references(bundle)) - present)
    assert dangling == []
    for plan in _resources(bundle, "PlanDefinition").values():
        ids = {a["id"] for a in plan["action"]}
        targets = {r["targetId"] for a in plan["action"] for r in a.get("relatedAction", [])}
        assert targets <= ids, plan["id"]


def test_the_bundle_names_only_the_public_address(bundle: dict[str, Any]) -> None:
    text = fhir.dumps(bundle).decode()
    assert "127.0.0.1" not in text
    assert "localhost" not in text
    plans = _resources(bundle, "PlanDefinition")
    assert plans["R-ILD-03"]["relatedArtifact"][0]["document"]["url"].startswith(PUBLIC)


def test_ids_and_canonical_urls_come_from_the_contents_own_ids(bundle: dict[str, Any]) -> None:
    citation = _resources(bundle, "Citation")["huang-pye-2024"]
    assert citation["url"] == PUBLIC + "fhir/Citation/huang-pye-2024"
    assert citation["citedArtifact"]["identifier"] == [
        {"system": "https://doi.org", "value": "10.58931/crt.2024.1145"}
    ]
    assert citation["citedArtifact"]["title"] == [
        {"text": "Updates in Treatment of Refractory Inflammatory Myositis"}
    ]
    library = _resources(bundle, "Library")["ivig-dose"]
    assert library["url"] == PUBLIC + "fhir/Library/ivig-dose"
    assert library["content"] == [
        {
            "contentType": "application/zip",
            "url": PUBLIC + "pyodide/calculators.whl",
            "title": "calculators wheel",
        }
    ]
    weight = next(p for p in library["parameter"] if p["name"] == "weight_kg")
    assert weight["use"] == "in"
    assert weight["type"] == "Quantity"
    assert weight["extension"][0]["valueCoding"] == {
        "system": "http://unitsofmeasure.org",
        "code": "kg",
        "display": "kg",
    }
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"{PUBLIC}fhir/{resource['resourceType']}/{resource['id']}"


def test_an_evidence_item_carries_its_statistics_as_printed(
    corpus: Corpus, bundle: dict[str, Any]
) -> None:
    evidence = _resources(bundle, "Evidence")
    with_figures = [
        (entry, item)
        for entry in corpus.entries.values()
        for item in entry.evidence
        if item.figures
    ]
    assert with_figures
    entry, item = with_figures[0]
    resource = evidence[fhir.fhir_id(entry.id, item.id)]
    assert resource["description"] == item.claim
    assert [s["description"] for s in resource["statistic"]] == [f.label for f in item.figures]
    for stat, figure in zip(resource["statistic"], item.figures, strict=True):
        if isinstance(figure.value, int | float):
            assert stat["quantity"]["value"] == figure.value
        if figure.ci:
            assert {
                "type": {"text": "confidence interval"},
                "description": f"as printed: {figure.ci}",
            } in stat["attributeEstimate"]


def test_a_recommendation_is_an_eca_rule_pointing_at_its_therapies_and_regimens(
    bundle: dict[str, Any],
) -> None:
    plan = _resources(bundle, "PlanDefinition")["R-ILD-03"]
    assert plan["url"] == PUBLIC + "fhir/PlanDefinition/R-ILD-03"
    assert plan["identifier"] == [{"system": PUBLIC + "recommendations", "value": "R-ILD-03"}]
    assert plan["name"] == "R_ILD_03"
    assert plan["type"]["coding"] == [
        {
            "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
            "code": "eca-rule",
            "display": "ECA Rule",
        }
    ]
    assert plan["description"].startswith(
        "Most patients with symptomatic MA-ILD will require a second immunosuppressive;"
    )
    assert plan["useContext"] == [
        {
            "code": {
                "system": "http://terminology.hl7.org/CodeSystem/usage-context-type",
                "code": "focus",
            },
            "valueCodeableConcept": {"text": "ILD"},
        }
    ]
    (action,) = plan["action"]
    assert action["title"] == "Therapy: Mycophenolate mofetil, Azathioprine"
    assert action["condition"] == [
        {
            "kind": "applicability",
            "expression": {"description": "Domains: ILD; Subtypes: ASyS; Antibodies: anti-MDA5"},
        }
    ]
    assert [d["document"]["url"] for d in action["documentation"]] == [
        PUBLIC + "therapies/mycophenolate-mofetil/",
        PUBLIC + "therapies/azathioprine/",
        PUBLIC + "therapies/mycophenolate-mofetil/#regimen-mmf-ild-titration",
        PUBLIC + "therapies/azathioprine/#regimen-azathioprine-oral",
    ]
    assert "extension" not in action  # no grade: the source prints none
    assert [
        (r["type"], r.get("resourceReference", {}).get("reference"))
        for r in plan["relatedArtifact"]
    ] == [
        ("documentation", None),
        ("derived-from", "Citation/moghadam-kia-oddis-2023"),
        ("justification", "ArtifactAssessment/R-ILD-03.justification"),
        ("citation", "Citation/moghadam-kia-oddis-2023"),
        ("citation", "Citation/huapaya-2019-long-term-azathioprine"),
    ]
    assert plan["relatedArtifact"][0]["document"]["url"] == PUBLIC + "recommendations/R-ILD-03/"
    assert plan["relatedArtifact"][1]["label"] == "Glucocorticoid-sparing drugs"
    assert plan["relatedArtifact"][1]["display"].startswith(
        "“Most patients with symptomatic MA-ILD will require the addition of a second"
    )


def test_an_ungraded_recommendation_says_so_and_links_its_evidence_and_references(
    bundle: dict[str, Any],
) -> None:
    assessment = _resources(bundle, "ArtifactAssessment")["R-ILD-03.justification"]
    assert assessment["meta"] == {
        "profile": ["http://hl7.org/fhir/StructureDefinition/ebmrecommendation"]
    }
    assert assessment["artifactReference"] == {"reference": "PlanDefinition/R-ILD-03"}
    assert assessment["extension"][0] == {
        "url": "http://hl7.org/fhir/StructureDefinition/artifact-url",
        "valueUri": PUBLIC + "fhir/ArtifactAssessment/R-ILD-03.justification",
    }
    ebm = "https://fevir.net/resources/CodeSystem/179423"
    assert assessment["content"] == [
        {
            "informationType": "classifier",
            "type": {
                "coding": [
                    {
                        "system": ebm,
                        "code": "strength-of-recommendation",
                        "display": "Strength of Recommendation",
                    }
                ]
            },
            "classifier": [{"text": "not graded"}],
            "summary": "Not graded by the source: narrative review",
        },
        {
            "informationType": "classifier",
            "type": {
                "coding": [
                    {
                        "system": ebm,
                        "code": "certainty-of-evidence",
                        "display": "Certainty of Evidence",
                    }
                ]
            },
            "classifier": [{"text": "not graded"}],
            "summary": "Not graded by the source: narrative review",
        },
        {
            "informationType": "container",
            "type": {"coding": [{"system": ebm, "code": "evidence", "display": "Evidence"}]},
            "summary": "The evidence items and references the recommendation rests on.",
            "relatedArtifact": [
                {
                    "type": "justification",
                    "resourceReference": {
                        "reference": "Evidence/mycophenolate-mofetil.mmf-vs-aza-huapaya"
                    },
                },
                {
                    "type": "citation",
                    "resourceReference": {"reference": "Citation/moghadam-kia-oddis-2023"},
                },
                {
                    "type": "citation",
                    "resourceReference": {
                        "reference": "Citation/huapaya-2019-long-term-azathioprine"
                    },
                },
            ],
        },
    ]


def test_a_graded_recommendation_carries_its_grade_as_printed(corpus: Corpus) -> None:
    from build_tools.kinds.recommendation import Recommendation

    held = corpus.recommendations["R-ILD-03"].model_dump(mode="json", exclude_none=True)
    held.pop("ungraded")
    held["grade"] = {"system": "GRADE", "strength": "strong", "certainty": "moderate"}
    graded = Recommendation.model_validate(held)
    writer = fhir.BundleWriter(PUBLIC, "2026.1")
    plan = fhir_recommendations.plan_definition(graded, writer, {}, {}, {})
    assessment = fhir_recommendations.justification(graded, writer, {})
    assert plan["action"][0]["extension"] == [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/cqf-strengthOfRecommendation",
            "valueCodeableConcept": {"text": "strong"},
        },
        {
            "url": "http://hl7.org/fhir/StructureDefinition/cqf-qualityOfEvidence",
            "valueCodeableConcept": {"text": "moderate"},
        },
    ]
    ratings = [(c["type"]["coding"][0]["code"], c.get("classifier")) for c in assessment["content"]]
    assert ratings[:3] == [
        ("rating-system", [{"text": "GRADE"}]),
        ("strength-of-recommendation", [{"text": "strong"}]),
        ("certainty-of-evidence", [{"text": "moderate"}]),
    ]
    for resource in (plan, assessment):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_every_recommendation_keeps_its_ids_from_its_own_id(
    corpus: Corpus, bundle: dict[str, Any]
) -> None:
    plans = _resources(bundle, "PlanDefinition")
    assessments = _resources(bundle, "ArtifactAssessment")
    for rec_id in corpus.recommendations:
        assert plans[rec_id]["url"] == f"{PUBLIC}fhir/PlanDefinition/{rec_id}"
        assert assessments[f"{rec_id}.justification"]["artifactReference"] == {
            "reference": f"PlanDefinition/{rec_id}"
        }


def test_a_yes_no_input_is_a_fhir_boolean_and_every_input_has_its_type(
    bundle: dict[str, Any],
) -> None:
    library = _resources(bundle, "Library")["imacs-screening-plan"]
    pregnant = next(
        p
        for p in _resources(bundle, "Library")["ivig-dose"]["parameter"]
        if p["name"] == "pregnant"
    )
    assert pregnant["type"] == "boolean"
    types = {p["name"]: p["type"] for p in library["parameter"] if p["use"] == "in"}
    assert types["anti_tif1g_dm"] == "boolean"
    assert types["red_flag_features"] == "boolean"
    gap = _resources(bundle, "Library")["gap-index"]
    dlco = next(p for p in gap["parameter"] if p["name"] == "dlco_pct_pred")
    assert dlco["type"] == "string"  # a number, or "cannot perform": no single FHIR type
    assert "or one of cannot_perform (Cannot perform" in dlco["documentation"]
    expected = {"NumberInput": "Quantity", "ChoiceInput": "code", "BoolInput": "boolean"}
    expected |= {"DateInput": "date", "NumberOrChoiceInput": "string"}
    for calc in CALCULATORS.values():
        library = _resources(bundle, "Library")[fhir.fhir_id(calc.id)]
        params = {p["name"]: p for p in library["parameter"] if p["use"] == "in"}
        for item in calc.inputs:
            assert params[item.name]["type"] == expected[type(item).__name__], (calc.id, item.name)


def test_an_input_of_a_kind_without_a_fhir_type_is_refused_not_guessed() -> None:
    class SliderInput:
        kind = "slider"

    with pytest.raises(TypeError, match="no FHIR type for calculator input SliderInput"):
        fhir.input_type(SliderInput())


def test_every_unit_declared_anywhere_has_a_ucum_code_or_an_explicit_none(
    corpus: Corpus,
) -> None:
    units = {getattr(i, "unit", "") for c in CALCULATORS.values() for i in c.inputs}
    units |= {o.unit for c in CALCULATORS.values() for o in c.outputs}
    units |= {f.unit or "" for e in corpus.entries.values() for i in e.evidence for f in i.figures}
    missing = sorted(u for u in units if u is not None and u not in fhir.UCUM_CODES)
    assert missing == []


def test_the_reference_files_read_back_with_the_libraries_that_wrote_them(corpus: Corpus) -> None:
    files = refexport.exports(corpus.references.values())
    keys = list(corpus.references)
    csl = json.loads(files["references.json"])
    assert [item["id"] for item in csl] == keys
    library = parse_string(files["references.bib"].decode())
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == keys
    huang = library.entries_dict["huang-pye-2024"]
    assert huang["doi"] == "10.58931/crt.2024.1145"
    assert huang["pages"] == "19--26"
    records = rispy.loads(files["references.ris"].decode())
    assert [r["id"] for r in records] == keys
    first = next(r for r in records if r["id"] == "huang-pye-2024")
    assert first["authors"] == ["Huang, K", "Pye, A"]
    assert (first["start_page"], first["end_page"]) == ("19", "26")


def test_the_public_address_is_checked_and_normalised() -> None:
    assert siteurl.site_url({}) == siteurl.LOCAL
    assert siteurl.site_url({"SITE_URL": "https://a.example.org/g"}) == "https://a.example.org/g/"
    with pytest.raises(siteurl.SiteUrlError) as err:
        siteurl.site_url({"SITE_URL": "a.example.org?x=1"})
    assert str(err.value) == (
        "SITE_URL: 'a.example.org?x=1' is not a site address (expected http:// or https://, a "
        "host, an optional port and path, e.g. https://guideline.example.org/myositis/)"
    )


def test_a_malformed_address_stops_the_build_before_it_starts(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "--site", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "SITE_URL": "javascript:alert(1)"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SITE_URL: 'javascript:alert(1)' is not a site address" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("public-site") / "site"
    previous = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = PUBLIC
    try:
        result = build_site(FIXTURE_CONTENT, site)
    finally:
        if previous is None:
            os.environ.pop("SITE_URL")
        else:
            os.environ["SITE_URL"] = previous
    assert result.returncode == 0, result.stderr
    return site


# Files that are not ours and hold the local address as data, not as a link: the Python
# runtime's WebAssembly and the theme's source map; and the offline bundle's launcher, which
# serves the unpacked site on this computer's own address by design.
NOT_LINKS = re.compile(r"^(pyodide/|assets/javascripts/.*\.map$)")
LAUNCHER = re.compile(r"(^|/)(start\.sh|start\.bat|serve\.py|README\.txt)$")


@pytest.mark.slow
def test_a_build_with_a_public_address_names_no_local_server(public_site: Path) -> None:
    local = ("127.0.0.1", "localhost:8000")
    found = []
    for path in sorted(public_site.rglob("*")):
        rel = path.relative_to(public_site).as_posix()
        if not path.is_file() or NOT_LINKS.match(rel) or path.suffix in (".zip", ".pdf"):
            continue
        data = path.read_bytes()
        found += [rel for marker in local if marker.encode() in data]
    with zipfile.ZipFile(public_site / "handbook-offline.zip") as bundle:
        for name in bundle.namelist():
            inner = re.sub(r"^[^/]+/(site/)?", "", name)  # <bundle>/site/… or <bundle>/…
            if NOT_LINKS.match(inner) or LAUNCHER.search(inner) or inner.endswith(".pdf"):
                continue
            data = bundle.read(name)
            found += [f"zip:{name}" for marker in local if marker.encode() in data]
    reader = PdfReader(public_site / "handbook.pdf")
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        links = [
            str(a.get_object().get("/A", {}).get("/URI", "")) for a in page.get("/Annots", []) or []
        ]
        found += [f"pdf page {number}" for marker in local if marker in text + " ".join(links)]
    codes = decode_qr_codes(public_site / "handbook.pdf")
    assert codes, "no QR code found in the handbook"
    found += [
        f"QR code on pdf page {n}: {text}"
        for n, texts in codes.items()
        for text in texts
        if not text.startswith(PUBLIC)
    ]
    assert found == []
    bundle_json = json.loads((public_site / "fhir" / "guideline.json").read_text("utf-8"))
    assert all(e["fullUrl"].startswith(PUBLIC + "fhir/") for e in bundle_json["entry"])
    assert f"<loc>{PUBLIC}" in (public_site / "sitemap.xml").read_text("utf-8")
    home = (public_site / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{PUBLIC}">' in home
    for name in refexport.FILES.values():
        assert (public_site / "exports" / name).stat().st_size > 0
    # Each page's reference files are among the files searched above, and in the bundle.
    per_page = sorted(p.name for p in (public_site / page_references.FOLDER).iterdir())
    assert "therapies-ivig.bib" in per_page
    with zipfile.ZipFile(public_site / "handbook-offline.zip") as bundle:
        assert any(n.endswith("/site/exports/pages/therapies-ivig.ris") for n in bundle.namelist())


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _WrongWasmType(_Handler):
    """A host that does not know WebAssembly (the commonest deployment mistake)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/octet-stream",
    }


def _serve(site: Path, handler: type[http.server.SimpleHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_the_deployment_check_passes_on_a_plain_static_host(public_site: Path) -> None:
    for base in _serve(public_site, _Handler):
        report = deploycheck.check_deployment(base)
    assert report.problems == []
    assert "/pyodide/pyodide.asm.wasm: runtime, served as application/wasm" in report.ok
    assert "/fhir/guideline.json: FHIR Bundle" in report.ok
    assert report.notes == ["pages are served uncompressed: enable gzip or brotli on the host"]


@pytest.mark.slow
def test_the_deployment_check_names_webassembly_served_with_the_wrong_type(
    public_site: Path,
) -> None:
    for base in _serve(public_site, _WrongWasmType):
        report = deploycheck.check_deployment(base)
    assert report.problems == [
        "/pyodide/pyodide.asm.wasm: served as application/octet-stream, must be application/wasm"
    ]
