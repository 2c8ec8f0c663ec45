"""Read the QR codes back out of a PDF, as a phone camera would: render, then decode."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

MARKER = "Scan to open"
"""The caption printed beside every QR code (site_templates/print/calculator.html.j2)."""


def decode_qr_codes(pdf: Path, dpi: int = 150) -> dict[int, list[str]]:
    """Page number → the texts of the QR codes on it, for every page that says it has one."""
    reader = PdfReader(pdf)
    pages = [n for n, page in enumerate(reader.pages, 1) if MARKER in (page.extract_text() or "")]
    found: dict[int, list[str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for number in pages:
            prefix = Path(folder) / f"p{number}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(dpi),
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-png",
                    "-singlefile",
                    str(pdf),
                    str(prefix),
                ],
                check=True,
            )
            with Image.open(prefix.with_suffix(".png")) as image:
                found[number] = [r.text for r in zxingcpp.read_barcodes(image)]
    return found
