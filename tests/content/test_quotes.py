"""Every number a statement shows occurs in the source sentence it quotes; every quote occurs
in its source document.

A statement that shows a number carries, beside its ``source:``, the verbatim sentence(s) of
the review it encodes (``source.quote``). The numbers are compared after normalising spacing,
dashes, thousands separators and "less than"/"greater than" (build_tools.quotes.normalise).
A number that is derived rather than printed (a sum, a conversion) is allowed only by name
below, with the reason, and the list is printed with the test's output.

Not every statement has its quote yet. Those still without one are listed by id in
quotes_pending.txt beside this file: the test fails for any other statement that shows a
number without a quote, and for a listed one that now has its quote (so the list only
shrinks). Its length is printed with the test's output.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools import quotes
from build_tools.context import Settings
from build_tools.generator import ROOT, calculator_info
from build_tools.loader import Corpus, load_content

CONTENT = Settings.from_environment().content

PENDING_FILE = Path(__file__).with_name("quotes_pending.txt")
# The source texts, as in CI: ../shared/sources/ beside the checkout (the repository root's
# parent); GUIDELINE_SOURCES names another folder.
SOURCES = Path(os.environ.get("GUIDELINE_SOURCES", ROOT.parent / "shared" / "sources"))

# Numbers a statement shows that its quote does not print, each reviewed: (statement, number).
DERIVED: dict[tuple[str, str], str] = {
    ("entries/ivig.yaml:sections[0].paragraphs[1]", "1"): "'Figure 1' names Huang & Pye's "
    "figure, which does not list IVIg (checked against the figure text in the PDF source)",
    ("domains.yaml:[rp-ild].steps[2]", "1"): "'Figure 1' names Huang & Pye's figure, quoted "
    "from the other review than this statement's locator",
    (
        "entries/mda5-rpild-combination.yaml:evidence[mda5-fan-2022-tofacitinib-vs-tacrolimus]",
        "61",
    ): ("n = 61 is the sum of the 26 tofacitinib and 35 tacrolimus patients the source gives"),
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    ids, _ = calculator_info()
    return load_content(CONTENT, ids)


def _pending() -> list[str]:
    lines = PENDING_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_number_occurs_in_its_statements_quote(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = []
    quoted = 0
    used: set[tuple[str, str]] = set()
    for statement in quotes.statements(corpus):
        if not statement.quote:
            continue
        quoted += 1
        for number in quotes.missing_numbers(statement):
            used.add((statement.id, number))
            if (statement.id, number) not in DERIVED:
                problems.append(f"{statement.id}: {number} is not in its quote {statement.quote!r}")
    with capsys.disabled():
        print(f"\n{quoted} statements carry their source sentence.")
        print("Derived numbers allowed without a quote (reviewed):")
        for (where, number), why in sorted(DERIVED.items()):
            print(f"  {where}: {number} - {why}")
    problems += [f"{k}: allowed as derived but no longer needed" for k in set(DERIVED) - used]
    assert not problems, "\n".join(problems)


def test_statements_with_numbers_carry_a_quote_unless_listed_as_pending(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    pending = _pending()
    missing, done = [], []
    for statement in quotes.statements(corpus):
        if statement.numbers and not statement.quote and statement.id not in pending:
            missing.append(f"{statement.id} shows {statement.numbers[:5]} without a quote")
        if statement.quote and statement.id in pending:
            done.append(f"{statement.id} now has its quote: remove it from {PENDING_FILE.name}")
    known = {s.id for s in quotes.statements(corpus)}
    stale = [f"{i} is listed as pending but no longer exists" for i in pending if i not in known]
    with capsys.disabled():
        print(
            f"\n{len(pending)} statements with numbers still have no source sentence "
            f"(listed in {PENDING_FILE.name})."
        )
    assert not (missing + done + stale), "\n".join(missing + done + stale)


def test_every_quote_occurs_in_its_source_document(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = quotes.source_texts(SOURCES)
    if texts is None:
        message = (
            f"SOURCE TEXTS ABSENT: {SOURCES} does not hold the review texts, so the quotes "
            "were NOT checked against the sources (set GUIDELINE_SOURCES to their folder)"
        )
        with capsys.disabled():
            print(f"\n{'!' * 20} {message} {'!' * 20}")
        pytest.skip(message)
    problems = []
    for statement in quotes.statements(corpus):
        if statement.locator is None:
            continue
        document = statement.locator.document
        for quote in statement.quote:
            if document not in texts:
                problems.append(f"{statement.id}: quotes {document!r}, which is not a review")
            elif quotes.normalise(quote) not in texts[document]:
                problems.append(f"{statement.id}: not found in {document}: {quote!r}")
    assert not problems, "\n".join(problems)


def test_normalising_makes_spacing_dashes_and_words_for_signs_alike() -> None:
    assert quotes.normalise("p less than 0.0001") == quotes.normalise("p < 0.0001")
    assert quotes.normalise("20–25 %") == quotes.normalise("20-25%")
    assert quotes.numbers(quotes.normalise("1,000 mg")) == ["1000"]
    assert quotes.normalise("regimen<sup>69</sup> in") == "regimen in"
    assert quotes.numbers("anti-MDA5, IL-6, anti-Jo-1, Ro52 and 3 days") == ["3"]
