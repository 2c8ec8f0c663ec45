"""Where a number comes from: the tiers the calculators declare reach every page, and the
site's statement about its own sources is computed from them, never written by hand."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import pytest
from markupsafe import Markup
from pydantic import ValidationError

from build_tools import provenance, schema
from build_tools.context import Settings
from build_tools.render import Citer, Page, tiered
from calculators import registry
from calculators.declaration import convention


def _corpus() -> Any:
    return SimpleNamespace(references={})


def test_the_statement_counts_every_rule_by_tier() -> None:
    statement = provenance.statement(_corpus())
    every = [p for c in registry.CALCULATORS.values() for p in c.provenance.values()]
    assert sum(statement.counts.values()) == len(every)
    assert statement.counts["review"] == sum(1 for p in every if p.tier == "review")
    assert statement.calculators == len(registry.CALCULATORS)
    assert f"{statement.counts['checked']} from another primary source" in statement.sentence()
    assert f"{statement.counts['unverified']} more are unverified" in statement.sentence()


def test_the_statement_counts_the_texts_numbers_and_quotes() -> None:
    from build_tools import quotes
    from build_tools.context import CalculatorCatalog
    from build_tools.loader import load_content
    from build_tools.store import ContentStore

    corpus = load_content(
        ContentStore(), Settings.from_environment().content, CalculatorCatalog.from_registry()
    )
    numbered = [s for s in quotes.statements(corpus) if s.numbers]
    statement = provenance.statement(corpus, with_content=True)
    assert statement.content_statements == len(numbered)
    assert statement.content_quoted == sum(1 for s in numbered if s.quote)
    assert statement.content_by_tier == {"review": len(numbered)}
    assert f"has {len(numbered)} statements that show a number" in statement.content_sentence()


def test_changing_a_tier_changes_the_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    before = provenance.statement(_corpus())
    ivig = registry.CALCULATORS["ivig_dose"]
    rules = dict(ivig.provenance)
    rules["round_to_5_g"] = convention(
        "total rounded to the nearest 5 g", covers=("rounded_dose_g",)
    )
    changed = dataclasses.replace(ivig, provenance=rules)
    fake = SimpleNamespace(
        CALCULATORS={**registry.CALCULATORS, "ivig_dose": changed},
        get=lambda cid: changed if cid == "ivig_dose" else registry.CALCULATORS[cid],
    )
    monkeypatch.setattr(provenance, "_registry", lambda: fake)
    after = provenance.statement(_corpus())
    assert after.counts["checked"] == before.counts["checked"] - 1
    assert after.counts["convention"] == before.counts["convention"] + 1
    assert after.sentence() != before.sentence()
    ontario = next(o for o in after.outside if o.key == "ontario-nd-ivig")
    assert "total rounded to the nearest 5 g" not in [r.what for r in ontario.rules]


def test_the_ivig_therapy_note_names_the_rules_that_are_not_in_the_review() -> None:
    note = provenance.therapy_note("ivig_dose", {})
    assert note.line == (
        "This calculator also applies rules from nba-nd-adjusting, lifeblood-nd-coming and "
        "ontario-nd-ivig and 2 conventions of this guideline: not in the source review."
    )
    assert "adjusted body weight = IBW + 0.4 × (actual − IBW) (nba-nd-adjusting)" in note.rules
    assert "the course split over 2–5 consecutive days (ontario-nd-ivig)" in note.rules
    assert "halves round up (convention of this guideline)" in note.rules
    assert not any("2 g/kg every 4 weeks" in r for r in note.rules)  # the review's own


def test_a_calculator_with_no_outside_source_counts_only_the_conventions() -> None:
    note = provenance.therapy_note("methylprednisolone_pulse", {})
    assert note.line == (
        "This calculator also applies 1 convention of this guideline: not in the source review."
    )
    assert note.rules == ("total = daily dose × days (convention of this guideline)",)


def test_unverified_rules_are_left_out_and_listed_by_name() -> None:
    left = [r.what for r in provenance.left_out("ivig_dose")]
    assert left == ["product vial sizes (commonly 5, 10 and 20 g)"]
    assert all(r.tier != "unverified" for r in provenance.applied("ivig_dose"))


def test_a_domain_step_showing_a_number_with_nothing_to_tell_its_tier_is_rejected() -> None:
    with pytest.raises(ValidationError, match="shows 80 but has no source, reference or tier"):
        schema.DomainPage.model_validate(
            {
                "id": "ild",
                "title": "ILD",
                "summary": {"text": "Summary.", "refs": ["x-2020-y"]},
                "steps": [{"title": "Step", "text": {"text": "Up to 80 mg daily."}}],
            }
        )


def test_a_checked_statement_must_say_what_was_checked() -> None:
    with pytest.raises(ValidationError, match="tier 'checked' needs `checked:`"):
        schema.Cited.model_validate({"text": "1 g", "tier": "checked", "refs": ["x-2020-y"]})


def test_an_unverified_statement_is_left_out_unless_the_build_includes_it_for_review(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    item = schema.Cited.model_validate(
        {"text": "A 1.2 g cap.", "tier": "unverified", "label": "per-pulse cap"}
    )
    shown = Markup("A 1.2 g cap.")
    monkeypatch.delenv(provenance.INCLUDE_UNVERIFIED_ENV, raising=False)
    show = provenance.include_unverified(Settings.from_environment())
    assert tiered(item, shown, show) == Markup("*Left out because unverified: per-pulse cap.*")
    monkeypatch.setenv(provenance.INCLUDE_UNVERIFIED_ENV, "1")
    show = provenance.include_unverified(Settings.from_environment())
    assert tiered(item, shown, show).startswith("**UNVERIFIED, for review only, not guidance:**")


def test_a_quote_is_one_tap_away() -> None:
    citer = Citer(Page("x.md", "X", "entry.md.j2"))
    item = schema.Cited.model_validate(
        {
            "text": "Prednisone 1 mg/kg/day.",
            "source": {
                "document": "moghadam-kia-oddis-2023",
                "section": "Glucocorticoid therapy",
                "quote": "prednisone at a dose of 1 mg/kg/day",
            },
        }
    )
    html = str(citer.cited(item))
    assert '<details class="quote"><summary>Source text</summary>' in html
    assert "“prednisone at a dose of 1 mg/kg/day”" in html


def test_every_result_names_the_rules_that_decide_it() -> None:
    for calculator_id in registry.CALCULATORS:
        for label, rules in provenance.result_sources(calculator_id):
            assert rules, f"{calculator_id}: {label} has no rule behind it"
    sources = dict(provenance.result_sources("ivig_dose"))
    assert [r.tier for r in sources["Total course dose (nearest 5 g)"]] == [
        "checked",
        "convention",
    ]
