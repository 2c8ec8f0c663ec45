"""Recommendations: a content kind declared in one module (build_tools.kinds.recommendation).

Loaded through the kind registry like every other kind, checked for what they name by
their typed identifiers, and rendered through their own templates. The templates are
rendered here with the publishers' Jinja environments directly; planning their pages is
the publishers' (Kind.pages).
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
import yaml

from build_tools import handbook, kinds, render
from build_tools.context import CalculatorCatalog, Settings
from build_tools.corpus import Corpus
from build_tools.diagnostics import ContentError
from build_tools.generator import TEMPLATES
from build_tools.kinds.recommendation import NOT_GRADED, Recommendation, index_context, page_context
from build_tools.loader import load_content
from build_tools.store import ContentStore

CONTENT = Settings.from_environment().content

RECOMMENDATION = """\
id: R-TEST-01
title: IVIg in refractory disease
statement: IVIg is used as a second-line or third-line treatment in combination.
population:
  domains: [muscle]
  subtypes: [DM]
action:
  kind: therapy
  entries: [ivig]
  regimens: [ivig-induction]
basis:
  evidence: [ivig-proderm]
  refs: [aggarwal-2022-trial]
ungraded: narrative review
source:
  document: huang-pye-2024
  section: Refractory disease > IVIg
  quote: IVIg is frequently used as a second-line or thirdline treatment in combination.
"""


def load(content: Path) -> Corpus:
    return load_content(ContentStore(), content, CalculatorCatalog.from_registry())


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(content)
    return [str(p) for p in info.value.problems]


def add(content: Path, text: str = RECOMMENDATION, name: str = "R-TEST-01.yaml") -> None:
    (content / "recommendations").mkdir(exist_ok=True)
    (content / "recommendations" / name).write_text(text)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load(CONTENT)


def test_the_kind_is_one_module_in_the_registry() -> None:
    kind = kinds.BY_NAME["recommendations"]
    assert (kind.model, kind.pattern, kind.per_file, kind.shape) == (
        Recommendation,
        "recommendations/*.yaml",
        True,
        "keyed",
    )
    assert kind.pages is not None
    assert kind.pages.path_of(_minimal()) == "recommendations/R-TEST-01.md"
    assert (TEMPLATES / "pages" / kind.pages.template).is_file()
    assert (TEMPLATES / "pages" / kind.pages.index_template).is_file()
    assert kind.pages.print_template is not None
    assert (TEMPLATES / "print" / kind.pages.print_template).is_file()


def _minimal() -> Recommendation:
    return Recommendation.model_validate(yaml.safe_load(RECOMMENDATION))


def test_the_guideline_encodes_the_reviews_recommendations(corpus: Corpus) -> None:
    recs = corpus.recommendations
    assert 15 <= len(recs) <= 35
    assert "recommendations" in corpus.collections()
    assert all(r in corpus.objects() for r in recs.values())
    # Each file is named by the id it holds (the permalink), and ids are stable and unique.
    for rec_id, rec in recs.items():
        origin = corpus.origin(rec)
        assert origin is not None
        assert origin.located.path.name == f"{rec_id}.yaml"
    # Both reviews are narrative reviews: nothing is graded, and it says so.
    assert {r.grading for r in recs.values()} == {NOT_GRADED}
    assert {r.source.document for r in recs.values()} == {
        "huang-pye-2024",
        "moghadam-kia-oddis-2023",
    }
    # The areas the living-guideline issue names each have at least one.
    domains = {d.value for r in recs.values() for d in r.population.domains}
    assert {"muscle", "cutaneous", "calcinosis", "ild", "rp-ild", "malignancy"} <= domains
    assert any("anti-mda5" in r.population.antibodies for r in recs.values())
    assert any("exercise-physiotherapy" in r.action.entries for r in recs.values())


def test_a_recommendation_loads_with_the_fixture_corpus(content: Path) -> None:
    add(content)
    corpus = load(content)
    rec = corpus.recommendations["R-TEST-01"]
    assert rec.action.regimens == ["ivig-induction"]
    assert rec.grading == NOT_GRADED


def test_a_malformed_recommendation_is_reported_with_file_and_line(content: Path) -> None:
    add(content, RECOMMENDATION.replace("id: R-TEST-01", "id: R-test-1"))
    assert problems_of(content) == [
        "content/recommendations/R-TEST-01.yaml:1:1: id: got 'R-test-1' (expected text "
        "matching ^R-[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\\d{2}$)",
    ]
    add(content, RECOMMENDATION.replace("  kind: therapy\n", "  kind: advice\n"))
    assert problems_of(content) == [
        "content/recommendations/R-TEST-01.yaml:8:3: action.kind: got 'advice' "
        "(expected one of: 'therapy', 'test' or 'measure')",
    ]


def test_a_recommendation_without_a_grade_must_say_why(content: Path) -> None:
    add(content, RECOMMENDATION.replace("ungraded: narrative review\n", ""))
    assert problems_of(content) == [
        "content/recommendations/R-TEST-01.yaml:1:1: give either `grade:` (as the source "
        "prints it) or `ungraded: narrative review`, exactly one: a grade is never invented"
    ]


def test_a_grade_is_shown_only_as_the_source_prints_it(content: Path) -> None:
    graded = RECOMMENDATION.replace(
        "ungraded: narrative review\n",
        "grade: {system: GRADE, strength: conditional, certainty: very low}\n",
    )
    add(content, graded)
    assert load(content).recommendations["R-TEST-01"].grading == ("conditional, very low (GRADE)")
    add(content, graded.replace("source:", "ungraded: narrative review\nsource:"))
    assert problems_of(content) == [
        "content/recommendations/R-TEST-01.yaml:1:1: give either `grade:` (as the source "
        "prints it) or `ungraded: narrative review`, exactly one: a grade is never invented"
    ]


def test_a_recommendation_naming_what_does_not_exist_is_a_content_error(content: Path) -> None:
    text = (
        RECOMMENDATION.replace("entries: [ivig]", "entries: [ivig, steroids]")
        .replace("regimens: [ivig-induction]", "regimens: [ivig-weekly]")
        .replace("evidence: [ivig-proderm]", "evidence: [ivig-prodrem]")
        .replace("refs: [aggarwal-2022-trial]", "refs: [agarwal-2022-trial]")
        .replace("subtypes: [DM]", "subtypes: [DM]\n  antibodies: [anti-mda-5]")
        .replace("document: huang-pye-2024", "document: huang-2024")
    )
    add(content, text)
    assert problems_of(content) == [
        "content/recommendations/R-TEST-01.yaml:7:16: population.antibodies[0]: "
        "unknown antibody id 'anti-mda-5'",
        "content/recommendations/R-TEST-01.yaml:10:19: action.entries[1]: "
        "unknown entry id 'steroids'",
        "content/recommendations/R-TEST-01.yaml:11:14: action.regimens[0]: "
        "unknown regimen id 'ivig-weekly'",
        "content/recommendations/R-TEST-01.yaml:13:14: basis.evidence[0]: "
        "unknown evidence id 'ivig-prodrem'",
        "content/recommendations/R-TEST-01.yaml:14:10: basis.refs[0]: "
        "unknown reference key 'agarwal-2022-trial' (not in content/references/)",
        "content/recommendations/R-TEST-01.yaml:17:3: source.document: "
        "unknown source document 'huang-2024' (expected one of: huang-pye-2024)",
    ]


def test_two_recommendations_may_not_share_an_id(content: Path) -> None:
    add(content)
    add(content, name="R-TEST-02.yaml")
    assert problems_of(content) == [
        "content/recommendations/R-TEST-02.yaml:1:1: id: duplicate recommendation id "
        "'R-TEST-01' (first defined at content/recommendations/R-TEST-01.yaml:1)"
    ]


def _site_render(template: str, path: str, context: dict[str, object]) -> str:
    env = render.make_environment(TEMPLATES)
    page = render.Page(path, str(context["title"]), template)
    citer = render.Citer(page)
    return env.get_template(template).render(
        {
            **context,
            "page": page,
            "cite": citer,
            "link_path": lambda target: render.relative(path, target),
            "entry_path": render.entry_path,
        }
    )


def test_the_permalink_page_shows_statement_grade_population_action_basis_and_quote(
    corpus: Corpus,
) -> None:
    rec = corpus.recommendations["R-CAL-01"]
    kind = kinds.BY_NAME["recommendations"]
    assert kind.pages is not None
    path = kind.pages.path_of(rec)
    context = {**page_context(rec, corpus), "title": kind.pages.title(rec)}
    text = _site_render(kind.pages.template, path, context)
    assert path == "recommendations/R-CAL-01.md"
    # The id is a code span: an abbreviation inside it ("ILD" in R-ILD-01) stays plain.
    assert text.startswith("# Calcinosis: immunosuppression; diltiazem,")
    assert "\nRecommendation `R-CAL-01`\n" in text
    assert '!!! abstract "What the source says to do"' in text
    assert "diltiazem (60-240 mg/day)" in text
    assert "**Grade:** Not graded by the source: narrative review" in text
    assert "**For:** [Calcinosis](../domains/calcinosis.md)" in text
    assert "[Calcinosis cutis therapies](../therapies/calcinosis-therapies.md)" in text
    assert "Source text</summary>“The consensus for treating ongoing cutaneous disease" in text
    assert 'Source: Huang &amp; Pye 2024, section "Refractory cutaneous disease".' in text
    assert "## Remarks" in text
    assert "[Diltiazem](../therapies/calcinosis-therapies.md#regimens); [Pamidronate" in text
    assert "<script" not in text


def test_the_listing_groups_by_domain_and_lists_by_subtype_and_antibody(
    corpus: Corpus,
) -> None:
    kind = kinds.BY_NAME["recommendations"]
    assert kind.pages is not None
    context = {**index_context(corpus), "title": kind.pages.index_title}
    text = _site_render(kind.pages.index_template, kind.pages.index, context)
    assert text.startswith("# Key recommendations\n")
    assert "and none is given a grade here.\n\n**Domain:** [General](#domain-general)" in text
    # One list item a line (a block tag at a line's end must not swallow the line break).
    assert (
        "\n- [`R-GEN-01`](R-GEN-01.md) First line: methotrexate or azathioprine, with "
        "glucocorticoids\n- [`R-GEN-02`](R-GEN-02.md)"
    ) in text
    assert "## Domain: ILD { #domain-ild }" in text
    assert "## Antibody: anti-MDA5 { #antibody-anti-mda5 }" in text
    assert "**Antibody:** [anti-MDA5](#antibody-anti-mda5)" in text
    assert "\n\n**Subtype:** [DM](#subtype-dm) · [ADM](#subtype-adm)" in text
    assert "- [`R-ILD-01`](R-ILD-01.md)" in text
    # Every recommendation is listed under each of its domains.
    listed = re.findall(r"\[`(R-[A-Z0-9-]+)`\]", text.split("## Subtype")[0])
    expected = sum(len(r.population.domains) for r in corpus.recommendations.values())
    assert len(listed) == expected
    assert "<script" not in text


def test_the_handbook_chapter_numbers_each_recommendation_once(corpus: Corpus) -> None:
    kind = kinds.BY_NAME["recommendations"]
    assert kind.pages is not None
    assert kind.pages.print_template is not None
    # As the handbook sets up its print templates (its globals for cross-references).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "print"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["xref"] = handbook.xref
    env.globals["entry_anchor"] = handbook.entry_anchor
    citer = handbook.PrintCiter(corpus)
    text = env.get_template(kind.pages.print_template).render(
        {**index_context(corpus), "cite": citer}
    )
    ids = re.findall(
        r'<div class="recommendation" id="rec-(R-[A-Z0-9-]+)">\n<p class="rec-head"><b>'
        r'<span class="rec-number">(\d+)\.</span>',
        text,
    )
    assert [n for _, n in ids] == [str(i) for i in range(1, len(corpus.recommendations) + 1)]
    assert sorted(i for i, _ in ids) == sorted(corpus.recommendations)
    assert "<b>Grade:</b> Not graded by the source: narrative review" in text
    assert (
        '<a class="xref" href="#entry-calcinosis-therapies">Calcinosis cutis therapies</a>' in text
    )
