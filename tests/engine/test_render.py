"""Rendering the fixture corpus gives exactly these pages (golden lines, not 'something')."""

from __future__ import annotations

import json
from pathlib import Path

from tests import generating


def generate(content: Path, tmp_path: Path) -> Path:
    docs = tmp_path / "build" / "docs"
    generating.generate(content, docs)
    return docs


def test_monograph_regimen_row_cites_the_trial(content: Path, tmp_path: Path) -> None:
    page = (generate(content, tmp_path) / "therapies/ivig.md").read_text()
    assert (
        # Each regimen and evidence item carries an id anchor (stable across re-ordering).
        '| <span id="regimen-ivig-induction"></span>**Induction** (IV) | 2 g/kg | every 4 weeks '
        '|  |  | <sup class="cite">'
        '[3](../references.md#ref-aggarwal-2022-trial "Aggarwal et al. 2022. Trial of '
        'intravenous immune globulin in dermatomyositis"){#cite-2}</sup> |'
    ) in page
    assert "*Also known as:* IVIg, immunoglobulin" in page
    assert (
        '| <span id="evidence-ivig-proderm"></span>Response at week 16 was higher with IVIg '
        "than placebo. | Randomised controlled "
        "trial, n = 95 | response IVIg: 79 %; response placebo: 44 % |"
    ) in page


def test_citation_numbers_follow_reading_order_and_link_back(content: Path, tmp_path: Path) -> None:
    refs = (generate(content, tmp_path) / "references.md").read_text()
    numbered = [
        line.split("**")[1] + line.split('id="')[1].split('"')[0]
        for line in refs.splitlines()
        if line.startswith("<span id=")
    ]
    assert numbered[:4] == [
        "1.ref-huang-pye-2024",
        "2.ref-oddis-2013-rituximab",
        "3.ref-aggarwal-2022-trial",
        "4.ref-mosteller-1987-simplified",  # the calculator pages come after the therapies
    ]
    assert len(numbered) == 28  # with the azathioprine renal factors' compendium reference
    assert "[DOI](https://doi.org/10.1056/NEJMoa2117912)" in refs
    # Where each is cited: grouped by page, collapsed (a page citing it twice links to both).
    assert "<summary>Cited on 13 pages</summary>\n\n[Refractory myositis (test fixture)]" in refs
    assert "[Intravenous immunoglobulin (IVIg)](therapies/ivig.md#cite-1) (" in refs


def test_reference_is_formatted_in_ama_style(content: Path, tmp_path: Path) -> None:
    refs = (generate(content, tmp_path) / "references.md").read_text()
    assert (
        "**3.** Aggarwal R, Charles-Schoeman C. Trial of intravenous immune globulin in "
        "dermatomyositis. <i>N Engl J Med</i>. 2022;387(14):1264-1278. "
        "doi:10.1056/NEJMoa2117912"
    ) in refs


def test_content_text_is_escaped(content: Path, tmp_path: Path) -> None:
    (content / "glossary.yaml").write_text(
        "- {term: ILD, definition: 'lung disease & fibrosis'}\n"
        "- {term: IVIg, definition: 'immunoglobulin'}\n"
    )
    page = (generate(content, tmp_path) / "glossary.md").read_text()
    assert "| lung disease &amp; fibrosis |" in page


def test_algorithm_page_has_svg_and_text_outline(content: Path, tmp_path: Path) -> None:
    docs = generate(content, tmp_path)
    page = (docs / "algorithms/general.md").read_text()
    # The diagram is in the page (so its nodes can link), and also a file of its own.
    assert '<div class="algorithm-diagram">\n<svg width="100%"' in page
    assert 'aria-label="General approach: flow diagram; the same steps are listed below it' in page
    assert "[The diagram as an image file](general.svg)" in page
    assert "    - *all patients* → **Glucocorticoids** ([Intravenous immunoglobulin]" in page
    svg = (docs / "algorithms/general.svg").read_text()
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    assert "Glucocorticoids" in svg
    assert "http://" not in svg.replace("http://www.w3.org/", "")


def test_an_algorithm_node_naming_a_therapy_links_to_its_page(
    content: Path, tmp_path: Path
) -> None:
    page = (generate(content, tmp_path) / "algorithms/general.md").read_text()
    node = page[page.index("<title>gc</title>") :].split("</g>")[0]
    # Published as folders: /algorithms/general/ → /therapies/ivig/.
    assert 'xlink:href="../../therapies/ivig/"' in node
    assert 'xlink:title="Intravenous immunoglobulin"' in node
    assert ">Glucocorticoids</text>" in node
    start = page[page.index("<title>start</title>") :].split("</g>")[0]
    assert "href" not in start  # names no therapy


def test_guideline_json_resolves_references(content: Path, tmp_path: Path) -> None:
    data = json.loads((generate(content, tmp_path) / "guideline.json").read_text())
    ref = data["references"]["aggarwal-2022-trial"]
    assert ref["number"] == 3
    assert ref["DOI"] == "10.1056/NEJMoa2117912"
    assert ref["citation"].startswith("Aggarwal R, Charles-Schoeman C. Trial of intravenous")
    assert [e["id"] for e in data["entries"]] == ["ivig", "rituximab"]
    assert data["entries"][0]["regimens"][0]["dose"] == {"value": 2.0, "unit": "g/kg"}


def test_regenerating_unchanged_content_writes_nothing(content: Path, tmp_path: Path) -> None:
    docs = tmp_path / "build" / "docs"
    first = generating.generate(content, docs)
    second = generating.generate(content, docs)
    assert first.written
    assert second.written == []
    assert second.removed == []


def test_editing_one_entry_rewrites_only_the_pages_it_touches(
    content: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "build" / "docs"
    generating.generate(content, docs)
    path = content / "entries/rituximab.yaml"
    path.write_text(path.read_text().replace("title: Rituximab", "title: Rituximab (RTX)"))
    again = generating.generate(content, docs)
    assert sorted(again.written) == [
        "calculators/rituximab_schedule.md",  # its "next steps" name the entry
        "domains/muscle.md",
        "guideline.json",
        "references.md",
        "therapies/index.md",  # the index of therapies names it
        "therapies/rituximab.md",
    ]


def test_every_vocabulary_value_has_a_label() -> None:
    from build_tools import schema

    assert set(schema.DOMAIN_LABELS) == set(schema.Domain)
    assert set(schema.STUDY_TYPE_LABELS) == set(schema.StudyType)


def test_therapy_titles_carry_the_abbreviation_clinicians_type(
    content: Path, tmp_path: Path
) -> None:
    docs = generate(content, tmp_path)
    assert "# Intravenous immunoglobulin (IVIg)\n" in (docs / "therapies/ivig.md").read_text()
    assert "# Rituximab\n" in (docs / "therapies/rituximab.md").read_text()  # no synonyms


def test_no_navigation_group_lists_more_than_its_limit() -> None:
    """Every page carries its open group's list: a long group is split into named runs."""
    from build_tools.render import Page, build_nav

    pages = [
        Page(
            f"t/{i}.md",
            f"Therapy {i:03d}",
            "entry.md.j2",
            section="Therapies",
            subsection="First line",
        )
        for i in range(1, 86)
    ]
    nav = build_nav(pages, limit=40)
    runs = nav[0]["Therapies"][0]["First line"]
    assert [next(iter(run)) for run in runs] == [
        "Therapy 001 … Therapy 040",
        "Therapy 041 … Therapy 080",
        "Therapy 081 … Therapy 085",
    ]
    assert [len(next(iter(run.values()))) for run in runs] == [40, 40, 5]
    assert build_nav(pages[:40], limit=40)[0]["Therapies"][0]["First line"][0] == {
        "Therapy 001": "t/1.md"
    }


def test_the_references_page_is_searched_last_and_its_back_links_not_at_all(
    content: Path, tmp_path: Path
) -> None:
    refs = (generate(content, tmp_path) / "references.md").read_text()
    assert refs.startswith('---\ntitle: "References"\ngenerated_from: "references.md.j2"\n')
    assert "search:\n  boost: 0.1\n" in refs
    assert '<details class="cited-in" data-search-exclude markdown>' in refs


def test_a_therapy_is_found_by_its_one_word_names(content: Path, tmp_path: Path) -> None:
    page = (generate(content, tmp_path) / "therapies/ivig.md").read_text()
    front = page.split("\n---\n")[0]
    assert 'tags: ["IVIg", "immunoglobulin"]' in front


def test_a_therapy_page_collects_what_the_reviews_say_on_safety_and_points_to_the_label(
    content: Path, tmp_path: Path
) -> None:
    entry = content / "entries/ivig.yaml"
    text = entry.read_text().replace(
        "kind: therapy\n", "kind: therapy\nmedicines: [immune globulin]\n"
    )
    caution = "cautions:\n  - {text: Safe in active infection., refs: [huang-pye-2024]}\n"
    entry.write_text(text + caution)
    page = (generate(content, tmp_path) / "therapies/ivig.md").read_text()
    block = page.split("## Safety and monitoring\n")[1].split("\n## ")[0]
    assert "[**Safety and monitoring**](#safety-and-monitoring)" in page
    assert block.startswith(
        "\nWhat the source reviews say:\n\n- **Caution:** Safe in active infection."
    )
    assert "that is not evidence that nothing applies" in block
    assert (
        "[immune globulin](https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all"
        "&query=immune%20globulin)"
    ) in block
    assert "EU Summary of Product Characteristics (SmPC)" in block
    assert "\n## Cautions" not in page  # the cautions are in the block, not repeated


def test_a_therapy_the_reviews_say_nothing_about_says_so(content: Path, tmp_path: Path) -> None:
    page = (generate(content, tmp_path) / "therapies/rituximab.md").read_text()
    block = page.split("## Safety and monitoring\n")[1].split("\n## ")[0]
    if "What the source reviews say" not in block:
        assert "The source reviews make no safety statement about this therapy." in block
    assert '!!! danger "Before treating"' in block  # no medicines named: local protocols
