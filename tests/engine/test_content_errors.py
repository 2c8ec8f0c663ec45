"""Each kind of content error is reported as `path:line:column: key: message`, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.context import CalculatorCatalog
from build_tools.diagnostics import ContentError
from build_tools.loader import load_content
from build_tools.store import ContentStore
from calculators.registry import CALCULATORS

CALCULATOR_IDS = set(CALCULATORS)


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_fixture_corpus_is_valid(content: Path) -> None:
    corpus = load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    assert sorted(corpus.entries) == ["ivig", "rituximab"]
    assert len(corpus.references) == 28  # 3 cited by entries, 25 by calculators


def test_unknown_reference_key(content: Path) -> None:
    edit(
        content / "entries/ivig.yaml",
        "refs: [aggarwal-2022-trial]\n    source",
        "refs: [agarwal-2022-trial]\n    source",
    )
    assert problems_of(content) == [
        "content/entries/ivig.yaml:17:12: regimens[0].refs[0]: unknown reference key "
        "'agarwal-2022-trial' (not in content/references/)"
    ]


def test_unknown_inline_citation(content: Path) -> None:
    edit(content / "entries/ivig.yaml", "[@aggarwal-2022-trial]", "[@nobody-2020-x]")
    assert problems_of(content) == [
        "content/entries/ivig.yaml:9:3: summary.text: unknown reference key "
        "'nobody-2020-x' (not in content/references/)"
    ]


def test_duplicate_entry_id(content: Path) -> None:
    edit(content / "entries/rituximab.yaml", "id: rituximab", "id: ivig")
    found = problems_of(content)
    assert found[0] == (
        "content/entries/rituximab.yaml:1:1: id: duplicate entry id 'ivig' "
        "(first defined at content/entries/ivig.yaml:1)"
    )


def test_duplicate_reference_id(content: Path) -> None:
    edit(
        content / "references/refs.yaml", "- id: oddis-2013-rituximab", "- id: aggarwal-2022-trial"
    )
    assert problems_of(content)[0] == (
        "content/references/refs.yaml:17:3: [2].id: duplicate reference id 'aggarwal-2022-trial' "
        "(first defined at content/references/refs.yaml:7)"
    )


def test_reference_never_cited(content: Path) -> None:
    edit(
        content / "entries/rituximab.yaml",
        "refs: [oddis-2013-rituximab]",
        "refs: [aggarwal-2022-trial]",
    )
    assert problems_of(content) == [
        "content/references/refs.yaml:17:3: [2].id: reference 'oddis-2013-rituximab' is never "
        "cited (cite it or remove it)"
    ]


def test_malformed_doi_and_pmid(content: Path) -> None:
    edit(
        content / "references/refs.yaml",
        'DOI: "10.1056/NEJMoa2117912"',
        'DOI: "doi:10.1056/NEJMoa2117912"\n  PMID: "PMID 123"',
    )
    assert problems_of(content) == [
        "content/references/refs.yaml:16:3: [1].DOI: got 'doi:10.1056/NEJMoa2117912' "
        "(expected text matching ^10\\.\\d{4,9}/\\S+$)",
        "content/references/refs.yaml:17:3: [1].PMID: got 'PMID 123' "
        "(expected text matching ^[1-9]\\d{0,8}$)",
    ]


def test_unknown_unit(content: Path) -> None:
    edit(content / "entries/ivig.yaml", "unit: g/kg}", "unit: grams per kg}")
    found = problems_of(content)
    assert len(found) == 1
    assert found[0].startswith(
        "content/entries/ivig.yaml:15:22: regimens[0].dose.unit: got 'grams per kg' "
        "(expected one of: 'mg', 'g', 'mcg', "
    )


def test_number_without_reference(content: Path) -> None:
    edit(
        content / "entries/rituximab.yaml",
        "text: Most patients with refractory myositis met the definition of improvement.\n"
        "  refs: [oddis-2013-rituximab]",
        "text: 83% of patients with refractory myositis met the definition of improvement.",
    )
    edit(
        content / "entries/ivig.yaml",
        "refs: [aggarwal-2022-trial]\n    source",
        "refs: [aggarwal-2022-trial, oddis-2013-rituximab]\n    source",
    )
    assert problems_of(content) == [
        "content/entries/rituximab.yaml:7:3: summary.text: states a number but cites no "
        "reference (add refs: or [@key])"
    ]


@pytest.mark.parametrize(
    ("injected", "found"),
    [
        ("<script>alert(1)</script>", "'<s'"),
        ("[click](javascript:alert(1))", "'javascript:'"),
        ("text {: onclick=alert(1) }", "'{: onclick='"),
        ("<img src=x onerror=alert(1)>", "'<i'"),
    ],
)
def test_markup_in_content_is_rejected(content: Path, injected: str, found: str) -> None:
    edit(
        content / "glossary.yaml",
        "definition: interstitial lung disease",
        f"definition: '{injected}'",
    )
    assert problems_of(content) == [
        f"content/glossary.yaml:2:3: [1]: raw HTML or script is not allowed in content "
        f"(found {found}); write plain Markdown"
    ]


def test_markup_in_reference_title_is_rejected(content: Path) -> None:
    edit(content / "references/refs.yaml", "title: Rituximab in", "title: <b>Rituximab</b> in")
    assert problems_of(content) == [
        "content/references/refs.yaml:17:3: [2]: raw HTML or script is not allowed in content "
        "(found '<b'); write plain Markdown"
    ]


def test_unknown_and_missing_fields(content: Path) -> None:
    edit(content / "entries/rituximab.yaml", "kind: therapy", "kind: therapy\ndosage: 1 g")
    edit(content / "entries/rituximab.yaml", "title: Rituximab\n", "")
    assert problems_of(content) == [
        "content/entries/rituximab.yaml:1:1: title: required field is missing",
        "content/entries/rituximab.yaml:3:1: dosage: unknown field (check the spelling "
        "against the content format page)",
    ]


def test_unknown_entry_in_see_also_and_algorithm(content: Path) -> None:
    edit(content / "entries/rituximab.yaml", "see_also: [ivig]", "see_also: [ivg]")
    edit(content / "algorithms/general.yaml", "entries: [ivig]", "entries: [ivig, steroids]")
    assert problems_of(content) == [
        "content/algorithms/general.yaml:7:69: nodes[1].entries[1]: unknown entry id 'steroids'",
        "content/entries/rituximab.yaml:9:12: see_also[0]: unknown entry id 'ivg'",
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(content: Path) -> None:
    edit(content / "entries/ivig.yaml", "route: IV", "route: intravenous")
    edit(content / "entries/rituximab.yaml", "line_of_therapy: third", "line_of_therapy: 3rd")
    (content / "glossary.yaml").write_text("- {term: ILD, definition: x}\n- term: [unclosed\n")
    found = problems_of(content)
    assert [p.split(":")[0] for p in found] == [
        "content/entries/ivig.yaml",
        "content/entries/rituximab.yaml",
        "content/glossary.yaml",
    ]
    assert found[0].startswith(
        "content/entries/ivig.yaml:14:5: regimens[0].route: got 'intravenous' (expected one of: "
    )
    assert found[1].startswith(
        "content/entries/rituximab.yaml:4:1: line_of_therapy: got '3rd' (expected one of: "
    )
    assert found[2].startswith("content/glossary.yaml:3:1: YAML syntax: ")


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (
            "entries/ivig.yaml",
            "claim: Response at week 16",
            "claim: <script>x</script> Response at week 16",
            "content/entries/ivig.yaml:20:5: evidence[0]",
        ),
        (
            "algorithms/general.yaml",
            "label: Glucocorticoids",
            "label: '[x](javascript:alert(1))'",
            "content/algorithms/general.yaml:7:5: nodes[1]",
        ),
        (
            "entries/rituximab.yaml",
            "title: Rituximab",
            "title: 'Rituximab<img src=x onerror=y>'",
            "content/entries/rituximab.yaml:1:1: ",
        ),
    ],
)
def test_markup_is_rejected_in_entries_and_algorithm_labels(
    content: Path, file: str, old: str, new: str, where: str
) -> None:
    edit(content / file, old, new)
    found = problems_of(content)
    assert len(found) == 1
    assert found[0].startswith(where)
    assert "raw HTML or script is not allowed in content" in found[0]


def test_unknown_antibody_id(content: Path) -> None:
    edit(
        content / "entries/ivig.yaml", "subtypes: [DM]", "subtypes: [DM]\nantibodies: [anti-mda-5]"
    )
    assert problems_of(content) == [
        "content/entries/ivig.yaml:8:14: antibodies[0]: unknown antibody id 'anti-mda-5'"
    ]
