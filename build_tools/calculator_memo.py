"""What the calculator pages keep for the life of one build context (a serve session)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from build_tools.render import Page


@dataclass
class CalculatorPagesMemo:
    """The calculator pages as planned the first time in this context.

    Calculators are code, which a running process does not reload (`make serve` stops when
    they change), so planning them (and running every worked example) once per context is
    enough, and handing back the very same Page objects lets the render cache recognise them
    without digesting their forms again.
    """

    pages: tuple[Page, ...] | None = None
