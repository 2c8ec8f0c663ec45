"""The guideline encodes both sources completely: every listed reference, and every entry
traceable to a paper, a study type and a place in a source."""

from __future__ import annotations

from functools import cache

import pytest

from build_tools.context import Settings
from build_tools.generator import calculator_info
from build_tools.loader import Corpus, load_content

CONTENT = Settings.from_environment().content

# Reference-list lengths as printed (Huang & Pye 2024: 41; Moghadam-Kia & Oddis 2023: 120).
SOURCE_LIST_LENGTHS = {"huang-pye-2024": 41, "moghadam-kia-oddis-2023": 120}


@cache
def corpus() -> Corpus:
    ids, _ = calculator_info()
    return load_content(CONTENT, ids)


@pytest.mark.parametrize(("source", "length"), SOURCE_LIST_LENGTHS.items())
def test_every_numbered_reference_of_each_source_is_present(source: str, length: int) -> None:
    listed = sorted(
        c.number for r in corpus().references.values() for c in r.cited_as if c.source == source
    )
    assert listed == list(range(1, length + 1))


def test_duplicates_in_a_list_are_one_reference_recorded_as_such() -> None:
    merged = {
        r.id: sorted(c.number for c in r.cited_as if c.source == "moghadam-kia-oddis-2023")
        for r in corpus().references.values()
    }
    doubles = {k: v for k, v in merged.items() if len(v) > 1}
    assert doubles
    kinds = {d.kind for d in corpus().discrepancies}
    assert "duplicate-in-list" in kinds
    recorded = {
        tuple(d.resolved_to) for d in corpus().discrepancies if d.kind == "duplicate-in-list"
    }
    assert {(k,) for k in doubles} <= recorded


def test_every_entry_item_carries_references_study_type_and_source() -> None:
    for entry in corpus().entries.values():
        assert entry.source.document in SOURCE_LIST_LENGTHS, entry.id
        assert entry.summary.refs or "[@" in entry.summary.text, entry.id
        for regimen in entry.regimens:
            assert regimen.refs, (entry.id, regimen.id)
            assert regimen.source.section, (entry.id, regimen.id)
        for item in entry.evidence:
            assert item.refs, (entry.id, item.id)
            assert item.study_type, (entry.id, item.id)
            assert item.source.section, (entry.id, item.id)


def test_the_therapies_both_reviews_discuss_all_have_a_monograph() -> None:
    expected = {
        "glucocorticoids",
        "methotrexate",
        "azathioprine",
        "mycophenolate-mofetil",
        "tacrolimus",
        "cyclosporine",
        "cyclophosphamide",
        "rituximab",
        "ivig",
        "jak-inhibitors",
        "hydroxychloroquine",
        "topical-therapy-photoprotection",
        "calcinosis-therapies",
        "exercise-physiotherapy",
        "plasma-exchange",
        "basiliximab",
        "daratumumab",
        "car-t-cell-therapy",
        "mda5-rpild-combination",
        "ecmo-lung-transplantation",
    }
    therapies = {e.id for e in corpus().entries.values() if e.kind == "therapy"}
    assert expected - therapies == set()
    experimental = [e for e in corpus().entries.values() if e.line_of_therapy == "experimental"]
    assert experimental
    assert all(e.trial_phase for e in experimental), [
        e.id for e in experimental if not e.trial_phase
    ]


def test_the_clinical_framework_topics_exist() -> None:
    topics = {e.id for e in corpus().entries.values() if e.kind == "topic"}
    assert {
        "iim-subtypes",
        "refractory-disease",
        "pm-mimics",
        "disease-activity-damage",
        "ild-epidemiology-prognosis",
        "ild-diagnosis",
        "cancer-screening",
    } <= topics


def test_both_algorithms_exist_and_the_reconstructed_one_says_so() -> None:
    algos = corpus().algorithms
    assert set(algos) >= {"general-approach", "ma-ild-treatment"}
    ild = algos["ma-ild-treatment"]
    assert ild.reconstructed
    assert "the figure itself is not in the source text" in ild.provenance


def test_calculators_link_only_to_entries_that_exist() -> None:
    from calculators.registry import CALCULATORS

    entries = set(corpus().entries)
    missing = {
        (c.id, e) for c in CALCULATORS.values() for e in c.related_entries if e not in entries
    }
    assert missing == set()
