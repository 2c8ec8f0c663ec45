"""A withdrawn item keeps a tombstone at its old address saying when and why; an item gone
without a record saying so is a content error.

Nothing is withdrawn in the real content, so these tests cut edition 2026.2 of a copy of it
(its export kept, as `make edition` does), then withdraw one recommendation and one
regimen for 2026.3.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from build_tools import generator, whatsnew
from build_tools.context import BuildContext, CalculatorCatalog, Settings
from build_tools.diagnostics import ContentError
from build_tools.exports import ExportInput
from build_tools.exports.changes_feeds import files as feed_files
from build_tools.snapshot import EditionMemo
from tests.conftest import ROOT

PUBLIC = "https://guideline.example.org/myositis/"
RECORDS = """\
- item: recommendation
  id: R-MUS-05
  edition: "2026.3"
  reason: Inclusion body myositis is outside the scope of this guideline.
  replaced_by: {item: entry, id: exercise-physiotherapy}
- item: regimen
  id: tofacitinib-mda5-ild
  edition: "2026.3"
  reason: The open-label study behind this dose was superseded.
  replaced_by: {item: regimen, id: tofacitinib-dm}
- item: glossary term
  id: ALAT
  edition: "2026.3"
  reason: The guideline no longer names this society.
"""
ALAT = (
    '- term: "ALAT"\n'
    '  definition: "Latin American Thoracic Association (Asociación Latinoamericana de Tórax)"\n'
)


def context(content: Path, build: Path, edition: str) -> BuildContext:
    catalog = dataclasses.replace(CalculatorCatalog.from_registry(), edition=edition)
    settings = Settings.from_environment().but(
        content=content.resolve(), build=build.resolve(), site_url=PUBLIC
    )
    return BuildContext.create(settings, catalog)


def withdrawn_copy(tmp: Path, records: str | None) -> Path:
    """The content cut as 2026.2, then R-MUS-05, regimen tofacitinib-mda5-ild and the
    glossary term ALAT removed (with `records` as content/withdrawals.yaml, if given)."""
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    corpus = generator.load(context(content, tmp / "cut", "2026.2"))
    kept = whatsnew.current_export(corpus, "2026.2", EditionMemo())
    (content / "editions" / "2026.2.json").write_text(json.dumps(kept), encoding="utf-8")
    (content / "recommendations" / "R-MUS-05.yaml").unlink()
    jak = content / "entries" / "jak-inhibitors.yaml"
    text = jak.read_text(encoding="utf-8")
    start = text.index("  - id: tofacitinib-mda5-ild\n")
    jak.write_text(text[:start] + text[text.index("evidence:\n", start) :], encoding="utf-8")
    glossary = content / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(ALAT, ""), encoding="utf-8")
    if records is not None:
        (content / "withdrawals.yaml").write_text(records, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildContext, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("withdrawn")
    ctx = context(withdrawn_copy(tmp, RECORDS), tmp / "build", "2026.3")
    generator.generate(ctx)
    docs = ctx.settings.docs
    return ctx, {str(p.relative_to(docs)): p.read_text("utf-8") for p in docs.rglob("*.md")}


def test_a_withdrawn_recommendation_keeps_a_page_at_its_old_address_saying_when_and_why(
    built: tuple[BuildContext, dict[str, str]],
) -> None:
    page = built[1]["recommendations/R-MUS-05.md"]
    assert 'search: {"exclude": true}' in page  # kept out of the search index
    assert (
        "# Inclusion body myositis: exercise and supportive measures, not immunotherapy "
        "(withdrawn)\n\n"
        '!!! warning "Withdrawn in 2026.3"\n'
        "    This recommendation (`R-MUS-05`) was withdrawn from the guideline in edition "
        "2026.3. Inclusion body myositis is outside the scope of this guideline.\n\n"
        "**See instead:** [Exercise and physiotherapy](../therapies/exercise-physiotherapy.md)\n"
    ) in page
    assert "[What's new](../whats-new.md#change-recommendations-R-MUS-05)" in page
    # The listing of recommendations no longer holds it.
    assert "R-MUS-05" not in built[1]["recommendations/index.md"]


def test_a_withdrawn_regimen_keeps_a_line_at_its_old_anchor_on_its_entry_s_page(
    built: tuple[BuildContext, dict[str, str]],
) -> None:
    page = built[1]["therapies/jak-inhibitors.md"]
    assert (
        '<p class="withdrawn-item" markdown="span"><span id="regimen-tofacitinib-mda5-ild">'
        "</span>**Withdrawn in 2026.3:** regimen *Tofacitinib (anti-MDA5 ILD)*. The open-label "
        "study behind this dose was superseded. See instead: [Tofacitinib (refractory DM)]"
        "(jak-inhibitors.md#regimen-tofacitinib-dm). "
        "([What's new](../whats-new.md#change-regimens-tofacitinib-mda5-ild))</p>"
    ) in page


def test_a_withdrawn_glossary_term_keeps_a_line_at_its_old_anchor_on_the_glossary(
    built: tuple[BuildContext, dict[str, str]],
) -> None:
    page = built[1]["glossary.md"]
    assert '<span id="alat"></span>**ALAT**' not in page
    assert (
        "## Withdrawn\n\n"
        '<p class="withdrawn-item" markdown="span"><span id="alat"></span>**Withdrawn in '
        "2026.3:** glossary term *ALAT*. The guideline no longer names this society. "
        "([What's new](whats-new.md#change-glossary-ALAT))</p>"
    ) in page


def test_withdrawals_are_listed_with_their_reason_on_the_page_and_in_both_feeds(
    built: tuple[BuildContext, dict[str, str]], tmp_path: Path
) -> None:
    ctx, pages = built
    news = pages["whats-new.md"]
    assert (
        "### Withdrawn (3)\n\n"
        '- <span id="change-recommendations-R-MUS-05"></span>**Withdrawn** recommendation: '
        "[Inclusion body myositis: exercise and supportive measures, not immunotherapy]"
        "(recommendations/R-MUS-05.md)\n"
        "    - Inclusion body myositis is outside the scope of this guideline. See instead: "
        "[Exercise and physiotherapy](therapies/exercise-physiotherapy.md).\n"
        '- <span id="change-regimens-tofacitinib-mda5-ild"></span>**Withdrawn** regimen: '
        "[Tofacitinib (anti-MDA5 ILD)](therapies/jak-inhibitors.md#regimen-tofacitinib-mda5-ild)\n"
        "    - The open-label study behind this dose was superseded. See instead: "
        "[Tofacitinib (refractory DM)](therapies/jak-inhibitors.md#regimen-tofacitinib-dm).\n"
    ) in news
    feeds = feed_files(ExportInput(ctx, generator.load(ctx), tmp_path))
    atom = feedparser.parse(feeds["changes.atom"])
    assert not atom.bozo, atom.get("bozo_exception")
    withdrawn = {e.link: e.summary for e in atom.entries if e.title.startswith("Withdrawn")}
    assert withdrawn == {
        f"{PUBLIC}recommendations/R-MUS-05/": "Withdrawn recommendation: Inclusion body "
        "myositis is outside the scope of this guideline. See instead: Exercise and "
        "physiotherapy.",
        f"{PUBLIC}therapies/jak-inhibitors/#regimen-tofacitinib-mda5-ild": "Withdrawn regimen: "
        "The open-label study behind this dose was superseded. See instead: Tofacitinib "
        "(refractory DM).",
        f"{PUBLIC}glossary/#alat": "Withdrawn glossary term: The guideline no longer names "
        "this society.",
    }
    as_json = json.loads(feeds["changes.json"])
    assert {
        i["url"]: i["content_text"] for i in as_json["items"] if i["title"].startswith("Withdrawn")
    } == withdrawn


def test_an_item_gone_without_a_record_is_a_content_error_naming_it(tmp_path: Path) -> None:
    content = withdrawn_copy(tmp_path, None)
    with pytest.raises(ContentError) as raised:
        generator.load(context(content, tmp_path / "build", "2026.3"))
    assert [(p.path, p.line, p.message) for p in raised.value.problems] == [
        (
            "content/entries/jak-inhibitors.yaml",
            92,
            "regimen 'tofacitinib-mda5-ild' (in entry jak-inhibitors) was in edition 2026.2 "
            "and is not in the content: record its withdrawal in content/withdrawals.yaml "
            "(item: regimen, id, edition, reason), or restore it",
        ),
        (
            "content/withdrawals.yaml",
            1,
            "glossary term 'ALAT' was in edition 2026.2 and is not in the content: record its "
            "withdrawal in content/withdrawals.yaml (item: glossary term, id, edition, reason), "
            "or restore it",
        ),
        (
            "content/withdrawals.yaml",
            1,
            "recommendation 'R-MUS-05' was in edition 2026.2 and is not in the content: record "
            "its withdrawal in content/withdrawals.yaml (item: recommendation, id, edition, "
            "reason), or restore it",
        ),
    ]


def test_a_record_for_an_item_still_there_and_a_missing_replacement_are_content_errors(
    tmp_path: Path,
) -> None:
    records = RECORDS + (
        "- item: entry\n"
        "  id: ivig\n"
        '  edition: "2026.3"\n'
        "  reason: Not withdrawn at all.\n"
        "  replaced_by: {item: entry, id: no-such-entry}\n"
    )
    content = withdrawn_copy(tmp_path, records)
    with pytest.raises(ContentError) as raised:
        generator.load(context(content, tmp_path / "build", "2026.3"))
    assert [(p.path, p.line, p.message) for p in raised.value.problems] == [
        (
            "content/withdrawals.yaml",
            16,
            "entry 'ivig' is still in the content: remove it from the content, or this record",
        ),
        (
            "content/withdrawals.yaml",
            19,
            "entry 'ivig': replaced by entry 'no-such-entry', which is not in the content",
        ),
    ]


def test_a_withdrawn_entry_s_regimens_and_evidence_keep_their_anchors_on_its_tombstone(
    tmp_path: Path,
) -> None:
    from build_tools.corpus import Corpus
    from build_tools.kinds.withdrawals import Withdrawal
    from build_tools.withdrawals import Tombstone, tombstones

    (tmp_path / "editions").mkdir()
    kept = {
        "edition": "2026.2",
        "entries": [
            {
                "id": "old-drug",
                "title": "Old drug",
                "kind": "therapy",
                "regimens": [{"id": "old-drug-oral", "label": "Old drug by mouth"}],
                "evidence": [{"id": "old-drug-rct", "claim": "One small trial."}],
            }
        ],
    }
    (tmp_path / "editions" / "2026.2.json").write_text(json.dumps(kept), encoding="utf-8")
    record = Withdrawal(item="entry", id="old-drug", edition="2026.3", reason="No longer used.")
    corpus = Corpus({"withdrawals": [record], "entries": {}})

    assert tombstones(corpus, tmp_path, {}) == (
        Tombstone("entries", "old-drug", "entry", "Old drug", "2026.3", "No longer used.",
                  path="therapies/old-drug.md"),
        Tombstone("regimens", "old-drug-oral", "regimen", "Old drug by mouth", "2026.3",
                  "Withdrawn with Old drug.", parent="old-drug", path="therapies/old-drug.md",
                  anchor="regimen-old-drug-oral"),
        Tombstone("evidence", "old-drug-rct", "evidence item", "One small trial.", "2026.3",
                  "Withdrawn with Old drug.", parent="old-drug", path="therapies/old-drug.md",
                  anchor="evidence-old-drug-rct"),
    )  # fmt: skip


def test_withdrawals_are_listed_with_their_reason_in_the_handbook_s_changes_chapter(
    built: tuple[BuildContext, dict[str, str]],
) -> None:
    from build_tools import handbook
    from build_tools.paper_calculators import collect_calculators

    ctx = built[0]
    corpus = generator.load(ctx)
    book = handbook.render_book(corpus, collect_calculators(), **handbook.book_parts(ctx, corpus))
    chapter = book.html[book.html.index('id="ch-changes"') :]
    chapter = chapter[chapter.index("<h3>Withdrawn (3)</h3>") : chapter.index("</section>")]
    text = " ".join(re.sub(r"<[^>]+>", " ", chapter).split())
    assert text == (
        "Withdrawn (3) "
        "Recommendation : Inclusion body myositis: exercise and supportive measures, not "
        "immunotherapy "
        "Inclusion body myositis is outside the scope of this guideline. See instead: Exercise "
        "and physiotherapy. "
        "Regimen : Tofacitinib (anti-MDA5 ILD) (in JAK inhibitors (tofacitinib and others) ) "
        "The open-label study behind this dose was superseded. See instead: Tofacitinib "
        "(refractory DM). "
        "Glossary term : ALAT The guideline no longer names this society."
    )
