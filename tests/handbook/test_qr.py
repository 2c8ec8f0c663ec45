"""Each printed worked example carries a QR code that opens its calculator on the web with
the example filled in; decoded from the rendered PDF, as a reader's phone would."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools import qrcodes, siteurl
from build_tools.paper_calculators import PaperCalculators
from calculators.registry import CALCULATORS
from tests.qrdecode import decode_qr_codes


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


@pytest.mark.slow
def test_every_printed_qr_code_decodes_to_its_calculator_with_the_example(
    pdf_path: Path, paper_calcs: PaperCalculators
) -> None:
    expected = {
        qrcodes.calculator_url(siteurl.LOCAL, c.id, dict(CALCULATORS[c.id].examples[0].inputs))
        for c in paper_calcs.calculators
        if c.example is not None
    }
    decoded = decode_qr_codes(pdf_path)
    assert all(len(texts) == 1 for texts in decoded.values()), decoded
    assert {texts[0] for texts in decoded.values()} == expected
