"""Study mode for trainees: self-check cards, calculator practice and take-away decks,
generated from the guideline's export so they never drift from the content.

Entry points for the build:
- `publish(export, changed=(), *, seed, cases_per_calculator, site_url) -> dict[str, bytes]`:
  the files to publish (`study/cards.json`, `study/<deck>.apkg`), as an export plug-in.
- `study_pages(export, changed=(), *, per_domain=True) -> list[StudyPage]`: the pages to
  plan (path, title, template, context); `page_context(...)` is one page's context.
- `self_test_context(export, changed=(), *, per_deck=None)`: the handbook's self-test.
- `study_data(...)`: the JSON the page's script reads; `build_cards(...)`: the cards and
  the report of what was skipped and why.
"""

from __future__ import annotations

from build_tools.study.cards import build_cards
from build_tools.study.publish import (
    StudyPage,
    page_context,
    publish,
    self_test_context,
    study_data,
    study_pages,
)

__all__ = [
    "StudyPage",
    "build_cards",
    "page_context",
    "publish",
    "self_test_context",
    "study_data",
    "study_pages",
]
