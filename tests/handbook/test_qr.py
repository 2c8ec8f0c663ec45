"""Each printed worked example carries a QR code that opens its calculator on the web with
the example filled in; decoded from the rendered PDF, as a reader's phone would.

A link fills the form, not the calculator: the widget puts each value into its field, and a
field with a unit toggle reads it in the unit the form shows first (20 means 20 % a month,
not 20 times the dose). So every link is checked by filling the form as the widget does
(`filled_form`, mirroring `collect()` in calculator-widget.js) and running the calculator on
what the form would send: it must accept it and print the example's results.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from build_tools import book_links, qrcodes, siteurl
from build_tools.book_plan import BookSection, Chapter
from build_tools.calculator_pages import (
    CHOICE_SUFFIX,
    FRAGMENT_PREFIX,
    UNIT_SUFFIX,
    form_fields,
    worked_examples,
)
from build_tools.calculator_view import CalculatorView, calculator_view
from build_tools.handbook import RenderedBook, load_book_corpus, render_book
from build_tools.loader import Corpus
from build_tools.paper_calculators import PaperCalculators
from calculators.registry import CALCULATORS, run
from tests.conftest import FIXTURE_CONTENT
from tests.handbook.conftest import normalise
from tests.qrdecode import decode_qr_codes


def filled_form(view: CalculatorView, url: str) -> dict[str, object]:
    """What the calculator's form sends after opening `url`: the fields as the page lays
    them out (their initial values), changed by the fragment, read as the widget reads them."""
    fragment = urlsplit(url).fragment
    assert fragment.startswith(FRAGMENT_PREFIX), url
    given = dict(parse_qsl(fragment.removeprefix(FRAGMENT_PREFIX), keep_blank_values=True))
    sent: dict[str, object] = {}
    for field in form_fields(view):
        name = field.name
        if field.kind in ("number", "number_or_choice"):
            special = given.get(name + CHOICE_SUFFIX, "")
            text = given.get(name, field.value).strip()
            if field.control == "radio":
                chosen = next((o.value for o in field.options if o.value == text), None)
                assert chosen is not None or not text, f"{name}={text!r} is not an option"
                text = chosen or ""
            unit = canonical = ""
            if field.units:  # a unit toggle: its selected unit, unless the link names one
                selected = next((u.value for u in field.units if u.selected), "")
                unit = given.get(name + UNIT_SUFFIX, selected)
                canonical = field.canonical_unit or field.units[0].value
            if special:
                sent[name] = special
            elif text:
                sent[name] = {"value": text, "unit": unit} if unit != canonical else text
        elif field.kind == "boolean":
            chosen = given.get(name, field.value)
            if chosen in ("true", "false"):
                sent[name] = chosen == "true"
        else:
            chosen = given.get(name, field.value)
            if chosen:
                sent[name] = chosen
    return sent


def test_a_calculator_link_carries_the_examples_inputs_in_its_fragment() -> None:
    url = qrcodes.calculator_url(
        "https://guideline.example.org/myositis/",
        "bsa_mosteller",
        {"height_cm": 180, "weight_kg": 80},
    )
    assert url == (
        "https://guideline.example.org/myositis/calculators/bsa_mosteller/"
        "#calc?height_cm=180&weight_kg=80"
    )


def test_page_addresses_follow_the_sites_folder_urls() -> None:
    assert qrcodes.page_url("https://a.org/g/", "index.md") == "https://a.org/g/"
    assert (
        qrcodes.page_url("https://a.org/g/", "therapies/ivig.md")
        == "https://a.org/g/therapies/ivig/"
    )


def test_the_printed_taper_link_gives_the_monthly_reduction_in_percent_as_the_form_shows_it(
    paper_calcs: PaperCalculators,
) -> None:
    (taper,) = [c for c in paper_calcs.calculators if c.id == "prednisone_taper_schedule"]
    assert taper.example is not None
    assert "taper_fraction_per_month=20&" in taper.example.link
    form = filled_form(calculator_view(CALCULATORS[taper.id]), taper.example.link)
    assert form["taper_fraction_per_month"] == {"value": "20", "unit": "%"}


def test_every_printed_link_fills_the_form_as_the_pages_own_example_link_does(
    paper_calcs: PaperCalculators,
) -> None:
    printed = [c for c in paper_calcs.calculators if c.example is not None]
    assert printed
    for calc in printed:
        assert calc.example is not None
        view = calculator_view(CALCULATORS[calc.id])
        page_link = worked_examples(view)[0].fragment
        assert calc.example.link.split("#", 1)[1] == page_link, calc.id


def test_every_printed_link_fills_a_form_the_calculator_accepts_with_the_examples_results(
    paper_calcs: PaperCalculators,
) -> None:
    for calc in paper_calcs.calculators:
        if calc.example is None:
            continue
        declared = CALCULATORS[calc.id]
        expected = run(calc.id, dict(declared.examples[0].inputs))
        result = run(calc.id, filled_form(calculator_view(declared), calc.example.link))
        assert result.display == expected.display, calc.id


@pytest.fixture(scope="module")
def decoded(pdf_path: Path) -> dict[int, list[str]]:
    """Page number → the texts of the QR codes printed on it."""
    return decode_qr_codes(pdf_path)


@pytest.mark.slow
def test_every_printed_qr_code_decodes_to_its_calculator_with_the_example(
    decoded: dict[int, list[str]], paper_calcs: PaperCalculators
) -> None:
    views = {cid: calculator_view(calc) for cid, calc in CALCULATORS.items()}
    expected = {
        qrcodes.calculator_url(siteurl.LOCAL, c.id, dict(views[c.id].examples[0].form_values))
        for c in paper_calcs.calculators
        if c.example is not None
    }
    calculator_links = {
        text for texts in decoded.values() for text in texts if "#" + FRAGMENT_PREFIX in text
    }
    assert calculator_links == expected
    for url in calculator_links:
        cid = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
        declared = CALCULATORS[cid]
        accepted = run(cid, filled_form(views[cid], url))
        assert accepted.display == run(cid, dict(declared.examples[0].inputs)).display, cid


def test_chapters_link_to_their_pages_and_chapters_without_one_link_each_part() -> None:
    site = "https://guideline.example.org/myositis/"
    plan = [
        Chapter("domain-muscle", "Muscle", "domain.html.j2"),
        Chapter("ch-therapies", "Therapy monographs", "therapies.html.j2"),
        Chapter(
            "ch-algorithms",
            "Treatment algorithms",
            "plain.html.j2",
            sections=[BookSection("algorithm-general", "General", "algorithm.html.j2")],
        ),
        Chapter("ch-calculators", "Calculators on paper", "calculators.html.j2"),
    ]
    corpus = load_book_corpus(FIXTURE_CONTENT)
    assert book_links.page_links(plan, corpus, site) == {
        "domain-muscle": site + "domains/muscle/",
        "ch-therapies": site + "therapies/",
        "algorithm-general": site + "algorithms/general/",
        "ch-calculators": site + "calculators/",
        "ch-references": site + "references/",
    }


@pytest.mark.slow
def test_each_chapters_qr_code_decodes_to_its_page_on_the_site(
    decoded: dict[int, list[str]],
    rendered: RenderedBook,
    book_corpus: Corpus,
    page_texts: list[str],
) -> None:
    links = book_links.page_links(rendered.chapters, book_corpus, siteurl.LOCAL)
    headings = {c.anchor: c.title for c in rendered.chapters} | {"ch-references": "References"}
    headings |= {s.anchor: s.title for c in rendered.chapters for s in c.sections}
    # A sample of every sort of chapter the book has: domains, the monographs, antibodies,
    # algorithms (each its own page), recommendations, calculators, glossary, references.
    sample = [a for a in links if a.startswith(("domain-", "algorithm-", "entry-"))][:4]
    sample += [a for a in links if a.startswith("ch-")]
    assert {"ch-therapies", "ch-calculators", "ch-glossary", "ch-references"} <= set(sample)
    page_of = {text: page for page, texts in decoded.items() for text in texts}
    for anchor in sample:
        url = links[anchor]
        assert url in page_of, f"{anchor}: no QR code decodes to {url}"
        assert normalise(headings[anchor]) in page_texts[page_of[url] - 1], anchor
    calculator_links = {t for t in page_of if "#" + FRAGMENT_PREFIX in t}
    assert set(page_of) - calculator_links == set(links.values())


def test_with_a_public_address_no_printed_link_points_at_the_local_server(
    book_corpus: Corpus,
) -> None:
    from build_tools.paper_calculators import collect_calculators

    site = "https://guideline.example.org/myositis/"
    book = render_book(book_corpus, collect_calculators(site), edition="test", site=site)
    assert "127.0.0.1" not in book.html
    assert f'href="{site}calculators/bsa_mosteller/#calc?' in book.html
    assert f'href="{site}glossary/"' in book.html
