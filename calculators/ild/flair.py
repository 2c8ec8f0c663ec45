"""FLAIR score for mortality risk in anti-MDA5 positive dermatomyositis ILD."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from calculators.declaration import (
    Band,
    BoolInput,
    Calculator,
    ChoiceInput,
    Example,
    Interpretation,
    JSONValue,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    UnitAlt,
    checked,
    convention,
    unverified,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS
from calculators.limits import (
    FERRITIN_MAX_NG_ML,
    FERRITIN_MIN_NG_ML,
    LDH_MAX_U_L,
    LDH_MIN_U_L,
    SPEC_PLAUSIBILITY,
)
from calculators.numeric import exact, fmt

# --- FLAIR [lian-2020-mortality] ----------------------------------------------------------------
FLAIR_FERRITIN_CUTOFF_NG_ML: Final = 636  # ≥ 636 → 2
FLAIR_FERRITIN_POINTS: Final = 2
FLAIR_LDH_CUTOFF_U_L: Final = 355  # ≥ 355 → 2
FLAIR_LDH_POINTS: Final = 2
FLAIR_MDA5_TITER_POINTS: Final = {"negative": 0, "+": 2, "++": 3, "+++": 4}
FLAIR_HRCT_CUTOFF: Final = 133  # ≥ 133 → 3
FLAIR_HRCT_POINTS: Final = 3
FLAIR_RPILD_POINTS: Final = 2
FLAIR_GROUP_MAX: Final = (
    ("low", 4),
    ("medium", 9),
    ("high", 13),
)  # low 0–4, medium 5–9, high 10–13
FLAIR_HRCT_MIN: Final = 0  # [PC] a semi-quantitative score can be 0
FLAIR_HRCT_PLAUSIBLE_MAX: Final = 1000  # [PC] generous bound; the scale's maximum was not verified


def _flair(
    *, ferritin_ng_ml: float, ldh_u_l: float, anti_mda5_titer: str, hrct_score: float, rpild: bool
) -> Outcome:
    trace = Trace()
    parts = {
        "ferritin": FLAIR_FERRITIN_POINTS
        if exact(ferritin_ng_ml) >= FLAIR_FERRITIN_CUTOFF_NG_ML
        else 0,
        "ldh": FLAIR_LDH_POINTS if exact(ldh_u_l) >= FLAIR_LDH_CUTOFF_U_L else 0,
        "anti_mda5": FLAIR_MDA5_TITER_POINTS[anti_mda5_titer],
        "hrct": FLAIR_HRCT_POINTS if exact(hrct_score) >= FLAIR_HRCT_CUTOFF else 0,
        "rpild": FLAIR_RPILD_POINTS if rpild else 0,
    }
    score = sum(parts.values())
    group = next(name for name, top in FLAIR_GROUP_MAX if score <= top)
    trace.explain(
        f"Ferritin {fmt(ferritin_ng_ml)} → {parts['ferritin']}; LDH {fmt(ldh_u_l)} → "
        f"{parts['ldh']}; anti-MDA5 {anti_mda5_titer} → {parts['anti_mda5']}; HRCT "
        f"{fmt(hrct_score)} → {parts['hrct']}; RP-ILD {'yes' if rpild else 'no'} → {parts['rpild']}"
    )
    trace.explain(f"FLAIR score = {score} → {group} risk")
    points: dict[str, JSONValue] = dict(parts)
    return trace.finish({"score": score, "risk_group": group, "points": points})


FLAIR_SCORE = Calculator(
    id="flair_score",
    title="FLAIR score (amyopathic DM-ILD mortality risk)",
    version="1.2.0",
    family="ild",
    purpose="FLAIR mortality-risk score and group (low, medium, high) in amyopathic "
    "dermatomyositis with ILD.",
    population="Prospective Chinese ADM-ILD cohort (n = 207) with an independent validation group.",
    inputs=(
        NumberInput(
            name="ferritin_ng_ml",
            label="Ferritin",
            unit="ng/mL",
            hard_min=FERRITIN_MIN_NG_ML,
            hard_max=FERRITIN_MAX_NG_ML,
            range_source=SPEC_PLAUSIBILITY,
            precision=0,
            unit_alternatives=(UnitAlt(unit="ug/L", label="µg/L", factor=Fraction(1)),),
        ),
        NumberInput(
            name="ldh_u_l",
            label="LDH",
            unit="U/L",
            hard_min=LDH_MIN_U_L,
            hard_max=LDH_MAX_U_L,
            range_source=SPEC_PLAUSIBILITY,
            precision=0,
        ),
        ChoiceInput(
            name="anti_mda5_titer",
            label="Anti-MDA5 titre",
            choices=(("negative", "Negative"), ("+", "+"), ("++", "++"), ("+++", "+++")),
            help="Semi-quantitative and assay-specific.",
        ),
        NumberInput(
            name="hrct_score",
            label="HRCT score (the authors' system)",
            unit="points",
            hard_min=FLAIR_HRCT_MIN,
            hard_max=FLAIR_HRCT_PLAUSIBLE_MAX,
            range_source="generous plausibility bound; the scale's maximum was not verified [PC]",
            precision=0,
            help="What it is: the FLAIR authors' own semi-quantitative HRCT score of the extent "
            "of lung involvement; 133 points or more scores 3. How it is scored: as described in "
            "the methods of Lian et al. 2020 (Chest 158:1535–45), the FLAIR paper listed under "
            "References. This guideline could not check that description, so it does not "
            "reproduce it; do not enter another CT score (such as a percentage extent).",
        ),
        BoolInput(name="rpild", label="Rapidly progressive ILD"),
    ),
    outputs=(
        Output(name="score", label="FLAIR score", precision=0, kind="integer"),
        Output(
            name="risk_group",
            label="Risk group",
            kind="text",
            key_labels=tuple((name, f"{name.capitalize()} risk") for name, _ in FLAIR_GROUP_MAX),
        ),
        Output(
            name="points",
            label="Points",
            precision=0,
            kind="mapping",
            key_labels=(
                ("ferritin", "Ferritin"),
                ("ldh", "LDH"),
                ("anti_mda5", "Anti-MDA5"),
                ("hrct", "HRCT"),
                ("rpild", "RP-ILD"),
            ),
        ),
    ),
    formula=(
        "ferritin ≥ 636 ng/mL 2; LDH ≥ 355 U/L 2; anti-MDA5 negative 0, + 2, ++ 3, +++ 4; HRCT ≥ "
        "133 3; RP-ILD 2\nlow 0–4, medium 5–9, high 10–13"
    ),
    references=("lian-2020-mortality",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Anti-MDA5 titre categories are semi-quantitative and assay-specific.",
        "The HRCT score is the authors' own semi-quantitative system; do not feed it another CT "
        "score.",
        "Derived in amyopathic DM-ILD in one Chinese centre.",
    ),
    provenance={
        "points": checked(
            "lian-2020-mortality",
            "points for ferritin, LDH, anti-MDA5 titre, HRCT score and RP-ILD",
            "PubMed abstract (Chest 2020)",
            covers=("points", "score"),
        ),
        "risk_groups": checked(
            "lian-2020-mortality",
            "low 0–4, medium 5–9, high 10–13",
            "PubMed abstract (Chest 2020)",
            covers=("risk_group",),
        ),
        "inclusive_comparison": convention("a value at the cut-off scores the points"),
        "group_mortality": unverified("mortality rate of each risk group", "lian-2020-mortality"),
    },
    not_included="Group mortality rates are not in the abstract (unverified) and are not shown.",
    examples=(
        Example(
            inputs={
                "ferritin_ng_ml": 636,
                "ldh_u_l": 355,
                "anti_mda5_titer": "+++",
                "hrct_score": 133,
                "rpild": True,
            },
            expected={"score": 13, "risk_group": "high"},
            source="lian-2020-mortality",
            note="All cut-offs met at exactly the boundary (≥): maximum score 13.",
        ),
        Example(
            inputs={
                "ferritin_ng_ml": 635,
                "ldh_u_l": 354,
                "anti_mda5_titer": "++",
                "hrct_score": 132,
                "rpild": True,
            },
            expected={"score": 5, "risk_group": "medium"},
            source="lian-2020-mortality",
        ),
    ),
    presentation=Presentation(
        primary="score",
        phrase="FLAIR score (0–13)",
        secondary=(
            "risk_group",
            "points",
        ),
    ),
    interpretation=Interpretation(
        output="score",
        bands=tuple(
            Band(
                label=f"{name.capitalize()} risk",
                low=low,
                high=top,
                tone=tone,
                meaning=(
                    f"FLAIR {name}-risk group ({low}–{top} points). The abstract checked for this "
                    "guideline does not give the group's mortality, so no figure is shown."
                ),
                rule="risk_groups",
            )
            for (name, top), low, tone in zip(
                FLAIR_GROUP_MAX, (0, 5, 10), ("lower", "middle", "higher"), strict=True
            )
        ),
    ),
    compute=_flair,
    related_entries=("ild-epidemiology-prognosis", "mda5-rpild-combination"),
)
