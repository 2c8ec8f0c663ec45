"""Render memos: what the publishers keep between runs of one context, as named fields.

Filled in by the publishers' redesign (rendered pages, drawn diagrams, encoded files, what
was written where), replacing module-level caches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_tools.calculator_memo import CalculatorPagesMemo


@dataclass
class RenderMemos:
    """Memos of the publishers, owned by one BuildContext."""

    calculator_pages: CalculatorPagesMemo = field(default_factory=CalculatorPagesMemo)
