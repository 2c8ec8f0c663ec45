"""The single declaration of the guideline edition that every result carries."""

from __future__ import annotations

from typing import Final

GUIDELINE_EDITION: Final = "2026.2"
