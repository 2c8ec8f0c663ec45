"""Calculator pages are derived from the declarations: every input, output and reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools import calculator_pages
from build_tools.context import CalculatorCatalog
from build_tools.diagnostics import ContentError
from build_tools.loader import load_content
from build_tools.store import ContentStore
from calculators import registry
from tests import generating


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The generated Markdown of the fixture corpus, calculator pages included."""
    from tests.conftest import FIXTURE_CONTENT

    docs = tmp_path_factory.mktemp("site") / "docs"
    generating.generate(FIXTURE_CONTENT, docs)
    return {p.relative_to(docs).as_posix(): p.read_text("utf-8") for p in docs.rglob("*.md")}


def test_one_page_per_calculator_and_an_index() -> None:
    planned = calculator_pages.plan_calculator_pages()
    pages = [p for p in planned if p.path.startswith("calculators/")]
    assert [p.path for p in pages] == [
        "calculators/index.md",
        *(f"calculators/{cid}.md" for cid in registry.CALCULATORS),
    ]
    assert {p.section for p in pages} == {"Calculators"}
    # no table of contents: on a desktop its column goes to the form and the result
    assert all(p.meta == {"calculator": p.path[12:-3], "hide": ["toc"]} for p in pages[1:])
    # and the Provenance page, which lists every calculator rule by tier
    assert [p.path for p in planned if p not in pages] == ["provenance.md"]


@pytest.mark.parametrize("calculator_id", list(registry.CALCULATORS))
def test_the_form_names_every_declared_input_and_output(
    pages: dict[str, str], calculator_id: str
) -> None:
    page = pages[f"calculators/{calculator_id}.md"]
    described = registry.describe(calculator_id)
    assert f'<form data-calculator="{calculator_id}"' in page
    assert 'data-calculator-root data-state="loading"' in page
    assert f'calculator: "{calculator_id}"' in page.split("---")[1]
    for item in described["inputs"]:
        name = item["name"]
        assert f'name="{name}"' in page
        assert re.search(rf'<label for="in-{name}(-1)?"', page), name
        if item["kind"] in ("number", "number_or_choice") and not item["allowed"]:
            assert f'id="in-{name}" name="{name}" type="text" inputmode="decimal"' in page
            if item["unit_alternatives"] and not item["unit_field"]:
                assert f'name="{name}__unit"' in page
    for out in described["outputs"]:
        assert f'data-output="{out["name"]}" data-output-kind="{out["kind"]}"' in page
    for ref in described["references"]:
        assert f"references.md#ref-{ref}" in page
    assert ("Not a prescription" in page) == (described["family"] in ("dosing", "regimens"))


def test_the_worked_example_is_computed_by_cpython(pages: dict[str, str]) -> None:
    page = pages["calculators/bsa_mosteller.md"]
    assert "| Body-surface area | 2.00 m² |" in page
    assert 'data-load-example="#calc?height_cm=180&amp;weight_kg=80" hidden>' in page


def test_the_primary_result_comes_first_with_its_declared_phrase(pages: dict[str, str]) -> None:
    page = pages["calculators/ivig_dose.md"]
    primary = page.index('<p class="calc-primary-label">Course dose (nearest 5 g), with the weight')
    assert primary < page.index('data-output="rounded_dose_g" data-output-kind="number"')
    assert page.index('data-output="rounded_dose_g"') < page.index('data-output="dose_by_policy_g"')
    assert page.index('data-output="dose_by_policy_g"') < page.index(
        "<summary>All figures</summary>"
    )
    assert page.index("<summary>All figures</summary>") < page.index('data-output="ibw_kg"')


def test_the_weight_policy_has_no_preselected_choice(pages: dict[str, str]) -> None:
    page = pages["calculators/ivig_dose.md"]
    policy = page[page.index('data-field="adjustment_policy"') :]
    policy = policy[: policy.index("</fieldset>")]
    assert 'value="nba_2026">' in policy
    assert "checked" not in policy


def test_the_taper_asks_for_a_percentage(pages: dict[str, str]) -> None:
    page = pages["calculators/prednisone_taper_schedule.md"]
    assert '<select name="taper_fraction_per_month__unit" data-canonical="fraction/month"' in page
    assert '<option value="%" selected>% a month</option>' in page
    assert "taper_fraction_per_month=20&amp;round_to_mg=2.5" in page  # the example, in percent


def test_bands_and_sources_read_as_words(pages: dict[str, str]) -> None:
    page = pages["calculators/flair_score.md"]
    assert "| ●●● High risk | 10–13 | FLAIR high-risk group (10–13 points). The abstract" in page
    assert "Lian et al. 2020<sup" in page
    assert "**Next steps:** The source gives no action for this result." in page
    assert "lian-2020-mortality.)" not in page
    visible = re.sub(r'data-(words|reading)="[^"]*"', "", page)  # data for the widget only
    assert "| V1 |" not in visible
    assert "[PC]" not in visible


@pytest.mark.parametrize("calculator_id", list(registry.CALCULATORS))
def test_next_steps_link_entries_that_exist_and_name_the_others(
    pages: dict[str, str], calculator_id: str
) -> None:
    from tests.conftest import FIXTURE_CONTENT

    existing = {p.stem for p in (FIXTURE_CONTENT / "entries").glob("*.yaml")}
    page = pages[f"calculators/{calculator_id}.md"]
    for entry in registry.describe(calculator_id)["related_entries"]:
        if entry in existing:
            assert re.search(rf"^- \[[^\]]+\]\(\.\./(therapies|topics)/{entry}\.md\)$", page, re.M)
        else:
            label = entry.replace("-", " ").capitalize()
            assert f"- {label} (no guideline entry yet)" in page
    assert "- [All calculators](index.md)" in page


def test_the_index_groups_calculators_by_family(pages: dict[str, str]) -> None:
    index = pages["calculators/index.md"]
    assert index.index("## Body size and kidney function") < index.index("## Drug doses")
    assert "[Body-surface area (Mosteller)](bsa_mosteller.md)" in index


def test_fragment_for_spells_units_and_booleans_as_the_widget_reads_them() -> None:
    fragment = calculator_pages.fragment_for(
        {"a": 1.0, "w": {"value": 176, "unit": "lb"}, "b": True, "s": "umol/L"}
    )
    assert fragment == "calc?a=1&w=176&w__unit=lb&b=true&s=umol%2FL"


def test_plain_words_replace_spec_labels_and_field_ids() -> None:
    names = {"dose_mg_per_m2": "Dose", "round_to_mg": "Round the dose to"}
    assert (
        calculator_pages.plain_words(
            "Spec A4: dose_mg_per_m2 × BSA, rounded to round_to_mg [PC]", names
        )
        == "dose × BSA, rounded to round the dose to (a convention of this guideline)"
    )


def test_markdown_in_declaration_text_is_neutralised() -> None:
    assert calculator_pages.md("height_cm * 2 [PC] <b>") == (r"height\_cm \* 2 \[PC\] &lt;b&gt;")


def test_a_calculator_reference_missing_from_content_is_a_content_error(
    content: Path,
) -> None:
    refs = content / "references" / "calculators.yaml"
    refs.write_text(refs.read_text().replace("id: mosteller-1987-simplified", "id: mosteller-x"))
    with pytest.raises(ContentError) as caught:
        load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    problems = [str(p) for p in caught.value.problems]
    assert (
        "calculators:1:1: bsa_mosteller: cites unknown reference key "
        "'mosteller-1987-simplified' (add it to content/references/)"
    ) in problems


def test_a_context_memo_hands_back_the_very_same_pages() -> None:
    """The render cache recognises unchanged calculator pages by identity, so a context plans
    them once; without a memo every call plans afresh (no state kept by the module)."""
    from build_tools.memos import RenderMemos

    memos = RenderMemos()
    first = calculator_pages.plan_calculator_pages(memos.calculator_pages)
    again = calculator_pages.plan_calculator_pages(memos.calculator_pages)
    assert first == again
    assert all(a is b for a, b in zip(first, again, strict=True))
    fresh = calculator_pages.plan_calculator_pages()
    assert [p.path for p in fresh] == [p.path for p in first]
    assert fresh[1] is not first[1]


def test_the_form_comes_before_the_explanations_and_the_answer_names_its_sources(
    pages: dict[str, str],
) -> None:
    """Phone first: nothing but the title stands between the top of the page and the form;
    under the answer, its sources by tier (author and year) and a link to the rule table."""
    page = pages["calculators/ivig_dose.md"]
    body = page.split("---", 2)[2]
    assert body.index("<div class=\"calc-widget\"") < body.index('id="when-to-use"')
    assert body.lstrip().startswith("# IVIg 2 g/kg course")
    sources = re.search(r'<p class="calc-sources" data-sources>(.*?)</p>', page)
    assert sources is not None
    assert sources.group(1).startswith("From the source review: Huang &amp; Pye 2024. ")
    assert "From another primary source, checked against it: " in sources.group(1)
    assert sources.group(1).endswith(
        'Some rules are a convention of this guideline. '
        '<a href="#where-each-rule-comes-from">Each rule and its source</a>'
    )
    assert 'id="where-each-rule-comes-from"' in page
    # the caution sits with the answer, after the doses under each policy
    assert page.index('data-output="dose_by_policy_g"') < page.index("<strong>Not a prescription.")
