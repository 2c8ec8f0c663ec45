"""CROSS points for rapidly progressive ILD in anti-MDA5 positive dermatomyositis."""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from calculators.common_inputs import sex
from calculators.declaration import (
    Band,
    BoolInput,
    Calculator,
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
    unverified,
)
from calculators.ild.common import GUIDE_NOT_DIAGNOSIS, PC_RANGES
from calculators.limits import (
    CRP_MAX_MG_DL,
    CRP_MG_L_PER_MG_DL,
    CRP_MIN_MG_DL,
    DURATION_MAX_MONTHS,
    POSITIVE,
)
from calculators.numeric import exact, fmt

# --- CROSS points [wang-2024-rapidly]; groups from the EULAR 2021 abstract POS0320 (V2) --------
CROSS_CRP_CUTOFF_MG_L: Final = 8  # CRP > 8 mg/L → 3
CROSS_CRP_POINTS: Final = 3
CROSS_RO52_POINTS: Final = 4
CROSS_MALE_POINTS: Final = 2
CROSS_DURATION_CUTOFF_MONTHS: Final = 3  # disease course < 3 months → 2
CROSS_DURATION_POINTS: Final = 2
CROSS_EULAR2021_GROUP_MAX: Final = (("low", 3), ("medium", 7), ("high", 11))


def _cross(
    *, crp_mg_l: float, anti_ro52_positive: bool, sex: str, disease_duration_months: float
) -> Outcome:
    trace = Trace()
    parts = {
        "crp": CROSS_CRP_POINTS if exact(crp_mg_l) > CROSS_CRP_CUTOFF_MG_L else 0,
        "anti_ro52": CROSS_RO52_POINTS if anti_ro52_positive else 0,
        "male": CROSS_MALE_POINTS if sex == "male" else 0,
        "short_course": CROSS_DURATION_POINTS
        if exact(disease_duration_months) < CROSS_DURATION_CUTOFF_MONTHS
        else 0,
    }
    total = sum(parts.values())
    group = next(name for name, top in CROSS_EULAR2021_GROUP_MAX if total <= top)
    trace.explain(
        f"CRP {fmt(crp_mg_l)} mg/L → {parts['crp']}; anti-Ro52 → {parts['anti_ro52']}; {sex} → "
        f"{parts['male']}; course {fmt(disease_duration_months)} months → {parts['short_course']}"
    )
    trace.explain(f"CROSS points = {total} → {group} (EULAR 2021 abstract groups)")
    trace.warn(
        "cross_published_cutoffs_unverified",
        "The published paper labels groups moderate, high and very high with cut-offs that were "
        "not verified; the groups shown are the 2021 abstract's (low 0–3, medium 4–7, high 8–11).",
        "wang-2024-rapidly",
    )
    points: dict[str, JSONValue] = dict(parts)
    return trace.finish(
        {"points": total, "risk_group_eular2021_abstract": group, "point_breakdown": points}
    )


CROSS_SCORE = Calculator(
    id="cross_rpild_score",
    title="CROSS points for RP-ILD risk in anti-MDA5 dermatomyositis",
    version="1.2.0",
    family="ild",
    purpose=(
        "CROSS points (CRP, anti-Ro52, sex, short disease course) for the risk of rapidly "
        "progressive ILD in anti-MDA5-positive dermatomyositis, with the EULAR 2021 abstract's "
        "groups."
    ),
    population="Chinese multicentre anti-MDA5-positive DM cohorts (discovery and validation).",
    inputs=(
        NumberInput(
            name="crp_mg_l",
            label="C-reactive protein",
            unit="mg/L",
            hard_min=CRP_MIN_MG_DL * CRP_MG_L_PER_MG_DL,
            hard_max=CRP_MAX_MG_DL * CRP_MG_L_PER_MG_DL,
            range_source="spec plausibility table (0–50 mg/dL) converted to mg/L [PC]",
            precision=1,
            unit_alternatives=(UnitAlt(unit="mg/dL", factor=Fraction(CRP_MG_L_PER_MG_DL)),),
            help="CROSS uses mg/L (1 mg/dL = 10 mg/L).",
        ),
        BoolInput(name="anti_ro52_positive", label="Anti-Ro52 positive"),
        sex(),
        NumberInput(
            name="disease_duration_months",
            label="Disease course",
            unit="months",
            hard_min=POSITIVE,
            min_inclusive=False,
            hard_max=DURATION_MAX_MONTHS,
            range_source=PC_RANGES,
            precision=1,
        ),
    ),
    outputs=(
        Output(name="points", label="CROSS points", precision=0, kind="integer"),
        Output(
            name="risk_group_eular2021_abstract",
            label="Risk group (EULAR 2021 abstract)",
            kind="text",
            key_labels=tuple(
                (name, f"{name.capitalize()} risk") for name, _ in CROSS_EULAR2021_GROUP_MAX
            ),
        ),
        Output(
            name="point_breakdown",
            label="Points by item",
            precision=0,
            kind="mapping",
            key_labels=(
                ("crp", "CRP"),
                ("anti_ro52", "Anti-Ro52"),
                ("male", "Male sex"),
                ("short_course", "Disease course under 3 months"),
            ),
        ),
    ),
    formula=(
        "CRP > 8 mg/L 3; anti-Ro52 positive 4; male 2; disease course < 3 months 2 (total "
        "0–11)\nEULAR 2021 abstract groups: low 0–3, medium 4–7, high 8–11"
    ),
    references=("wang-2024-rapidly",),
    caveats=(
        GUIDE_NOT_DIAGNOSIS,
        "Points are verified against the variables of the 2024 paper and the point values of the "
        "EULAR 2021 abstract (POS0320) [V2].",
        "The published paper labels the groups moderate, high and very high (1-year RP-ILD "
        "9.5/6.7%, 35.2/41.7%, 71.3/85.7% in discovery/validation); its exact cut-offs were not "
        "verified.",
        "CRP > 8 and duration < 3 months are strict comparisons as published.",
    ),
    provenance={
        "variables": checked(
            "wang-2024-rapidly",
            "CRP, anti-Ro52, male sex, disease course under 3 months",
            "the 2024 paper's variables",
            covers=("point_breakdown",),
        ),
        "points": checked(
            "wang-2024-rapidly",
            "CRP > 8 mg/L 3; anti-Ro52 4; male 2; course < 3 months 2",
            "EULAR 2021 abstract POS0320 (the paper's points were not seen)",
            label="V2",
            covers=("points", "point_breakdown"),
        ),
        "eular2021_groups": checked(
            "wang-2024-rapidly",
            "low 0–3, medium 4–7, high 8–11",
            "EULAR 2021 abstract POS0320",
            label="V2",
            covers=("risk_group_eular2021_abstract",),
        ),
        "published_cutoffs": unverified(
            "the published paper's moderate/high/very high cut-offs", "wang-2024-rapidly"
        ),
    },
    not_included=(
        "The published paper's group cut-offs (moderate/high/very high) are unverified and not "
        "used. FLAW (fever, LDH, age, WBC/NLR) is not implemented because some item thresholds are "
        "not stated in its abstract."
    ),
    examples=(
        Example(
            inputs={
                "crp_mg_l": 8.1,
                "anti_ro52_positive": True,
                "sex": "male",
                "disease_duration_months": 2.9,
            },
            expected={"points": 11, "risk_group_eular2021_abstract": "high"},
            source="wang-2024-rapidly",
        ),
        Example(
            inputs={
                "crp_mg_l": 8,
                "anti_ro52_positive": False,
                "sex": "female",
                "disease_duration_months": 3,
            },
            expected={"points": 0, "risk_group_eular2021_abstract": "low"},
            source="wang-2024-rapidly",
            note="Exactly 8 mg/L and exactly 3 months score nothing (strict > and <).",
        ),
    ),
    presentation=Presentation(
        primary="points",
        phrase="CROSS points (0–11)",
        secondary=(
            "risk_group_eular2021_abstract",
            "point_breakdown",
        ),
    ),
    interpretation=Interpretation(
        output="points",
        bands=tuple(
            Band(
                label=f"{name.capitalize()} (2021 abstract)",
                low=low,
                high=top,
                tone=tone,
                meaning=(
                    f"The 2021 abstract's {name}-risk group ({low}–{top} points). The published "
                    "paper's RP-ILD rates belong to groups whose cut-offs could not be checked, "
                    "so no rate is shown."
                ),
                rule="eular2021_groups",
            )
            for (name, top), low, tone in zip(
                CROSS_EULAR2021_GROUP_MAX, (0, 4, 8), ("lower", "middle", "higher"), strict=True
            )
        ),
    ),
    compute=_cross,
    related_entries=("ild-epidemiology-prognosis", "mda5-rpild-combination"),
)
