"""Key regimens and evidence numbers, pinned to the paper that states them, as published in
site/guideline.json. Each expected value is quoted from the source text."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest


@cache
def export(site: Path) -> dict[str, Any]:
    return json.loads((site / "guideline.json").read_text())


def regimen(site: Path, entry_id: str, regimen_id: str) -> dict[str, Any]:
    entry = next(e for e in export(site)["entries"] if e["id"] == entry_id)
    return next(r for r in entry["regimens"] if r["id"] == regimen_id)


def evidence(site: Path, entry_id: str, evidence_id: str) -> dict[str, Any]:
    entry = next(e for e in export(site)["entries"] if e["id"] == entry_id)
    return next(r for r in entry["evidence"] if r["id"] == evidence_id)


# (entry, regimen, field, expected, reference) - quoted from the sources:
REGIMENS = [
    # Moghadam-Kia & Oddis: "prednisone at a dose of 1 mg/kg/day, ... generally not exceeding
    # 80 mg daily. After 4-6 weeks of high-dose glucocorticoid therapy ..."
    (
        "glucocorticoids",
        "prednisone-initial",
        "dose",
        {"value": 1.0, "unit": "mg/kg/day"},
        "moghadam-kia-oddis-2023",
    ),
    (
        "glucocorticoids",
        "prednisone-initial",
        "maximum",
        {"value": 80.0, "unit": "mg/day"},
        "moghadam-kia-oddis-2023",
    ),
    (
        "glucocorticoids",
        "methylprednisolone-pulse",
        "dose",
        {"value": 1000.0, "unit": "mg", "per": "day"},
        "moghadam-kia-oddis-2023",
    ),
    # "monthly intravenous cyclophosphamide (300-800 mg/m2 monthly) for at least six months"
    (
        "cyclophosphamide",
        "cyc-iv-monthly-ild",
        "dose",
        {"min": 300.0, "max": 800.0, "unit": "mg/m2", "per": "month"},
        "yamasaki-2007-intravenous",
    ),
    # MMF: start 250-500 mg twice daily, target 1500-3000 mg/day
    (
        "mycophenolate-mofetil",
        "mmf-ild-titration",
        "dose",
        {"min": 250.0, "max": 500.0, "unit": "mg", "per": "dose"},
        "moghadam-kia-oddis-2023",
    ),
    (
        "mycophenolate-mofetil",
        "mmf-ild-titration",
        "target",
        {"min": 1500.0, "max": 3000.0, "unit": "mg/day"},
        "moghadam-kia-oddis-2023",
    ),
    # Huang & Pye: "IVIg at a dose of 2 g/kg every 4 weeks"
    (
        "ivig",
        "ivig-2gkg-q4w",
        "dose",
        {"value": 2.0, "unit": "g/kg", "per": "course"},
        "huang-pye-2024",
    ),
    ("ivig", "ivig-2gkg-q4w", "frequency", "every 4 weeks", "huang-pye-2024"),
    # "4 weekly injections of 1800 mg" (Holzer 2023)
    (
        "daratumumab",
        "daratumumab-mda5-rpild-case",
        "dose",
        {"value": 1800.0, "unit": "mg", "per": "injection"},
        "holzer-2023-successful",
    ),
    (
        "basiliximab",
        "basiliximab-mda5-rpild",
        "dose",
        {"value": 20.0, "unit": "mg", "per": "infusion"},
        "zou-2014-basiliximab",
    ),
    (
        "azathioprine",
        "azathioprine-oral",
        "maximum",
        {"value": 2.5, "unit": "mg/kg/day"},
        "moghadam-kia-oddis-2023",
    ),
    (
        "calcinosis-therapies",
        "pamidronate-calcinosis",
        "dose",
        {"value": 1.0, "unit": "mg/kg/day"},
        "jiang-2021-clinical",
    ),
    (
        "calcinosis-therapies",
        "diltiazem-calcinosis",
        "dose",
        {"min": 60.0, "max": 240.0, "unit": "mg/day"},
        "balin-2012-calcinosis",
    ),
]


@pytest.mark.parametrize(("entry", "regimen_id", "field", "expected", "ref"), REGIMENS)
def test_regimen_is_as_the_source_states_it(
    real_site: Path, entry: str, regimen_id: str, field: str, expected: object, ref: str
) -> None:
    found = regimen(real_site, entry, regimen_id)
    assert found[field] == expected
    assert ref in found["refs"]


def test_mmf_evidence_numbers_are_pinned_to_fischer(real_site: Path) -> None:
    # "the largest cohort of CTD-ILD (125 patients, 32 with PM or DM) ... median of 897 days"
    item = evidence(real_site, "mycophenolate-mofetil", "mmf-ctd-ild-fischer")
    assert item["n"] == 125
    figures = {f["label"]: f["value"] for f in item["figures"]}
    assert figures["patients with PM or DM"] == 32
    assert figures["median MMF duration"] == 897
    ref = export(real_site)["references"][item["refs"][0]]
    assert ref["citation"].startswith("Fischer A")


def test_every_reference_in_the_export_is_resolved(real_site: Path) -> None:
    refs = export(real_site)["references"]
    assert len(refs) >= 157
    assert all(r["citation"] for r in refs.values())
    assert sum(1 for r in refs.values() if r["DOI"]) > 100
