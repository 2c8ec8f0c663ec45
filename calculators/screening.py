"""IMACS 2023 IIM-associated cancer screening: the verified downstream actions only.

The risk-assignment step (which subtypes, antibodies and features make a
patient standard, moderate or high risk) was not verified against Fig. 1 of the
guideline, so the risk category is an input chosen by the clinician.
"""

from __future__ import annotations

from typing import Final

from calculators.declaration import (
    BoolInput,
    Calculator,
    ChoiceInput,
    Example,
    JSONValue,
    NumberInput,
    Outcome,
    Output,
    Presentation,
    Trace,
    checked,
    unverified,
)
from calculators.limits import AGE_MAX_YEARS, ANY_AGE_MIN_YEARS
from calculators.numeric import exact, fmt

# --- IMACS guideline [oldroyd-2023-international], Fig. 1 legend (V1) ---------------------------
IMACS_ADULT_ONSET_MIN_YEARS: Final = 18  # screening not routinely required in juvenile-onset IIM
IMACS_WINDOW_YEARS: Final = 3  # applies within 3 years of IIM symptom onset
IMACS_TIF1G_PET_AGE_ABOVE: Final = 40  # anti-TIF1γ DM with onset > 40 y and ≥ 1 high-risk feature
IMACS_HIGH_RISK_ANNUAL_YEARS: Final = 3  # high risk: annual screening for 3 years (V2)
# --- Panels by category and panel contents (V2: EULAR 2024 report, JAMA Dermatol 2024 letter) ----
IMACS_PANELS: Final = {
    "standard": ("basic",),
    "moderate": ("basic", "enhanced"),
    "high": ("basic", "enhanced"),
}
IMACS_PANEL_CONTENTS: Final = {
    "basic": (
        "routine blood and urine studies",
        "chest radiography",
        "age- and sex-appropriate national cancer screening",
    ),
    "enhanced": (
        "CT neck/thorax/abdomen/pelvis",
        "pelvic/transvaginal ultrasound",
        "Pap test",
        "mammography",
        "PSA or CA-125",
        "faecal occult blood",
    ),
}
RED_FLAGS: Final = (
    "unexplained weight loss, family history, smoking, fever, night sweats"  # (V2, ACR 2022 report)
)

RISK_CHOICES: tuple[tuple[str, str], ...] = (
    ("standard", "Standard risk"),
    ("moderate", "Moderate risk"),
    ("high", "High risk"),
)


def _imacs(
    *,
    risk_category: str,
    age_at_onset: float,
    cancer_detected_at_diagnosis: bool,
    anti_tif1g_dm: bool,
    additional_high_risk_feature: bool,
    npc_endemic_region: bool,
    red_flag_features: bool,
    within_3_years_of_onset: bool,
) -> Outcome:
    trace = Trace()
    adult = exact(age_at_onset) >= IMACS_ADULT_ONSET_MIN_YEARS
    if not adult:
        trace.explain(
            f"Onset at {fmt(age_at_onset)} years (< {IMACS_ADULT_ONSET_MIN_YEARS}): "
            "juvenile-onset IIM; screening is not routinely required."
        )
        if red_flag_features:
            trace.warn(
                "red_flags_present",
                f"Red-flag features ({RED_FLAGS}) call for investigation regardless of the "
                "screening plan.",
                "oldroyd-2023-international",
            )
        return trace.finish(
            {
                "routine_screening_required": False,
                "panels_at_diagnosis": [],
                "annual_repeat_for_3_years": False,
                "consider_pet_ct": False,
                "consider_gi_endoscopy": False,
                "consider_nasoendoscopy": False,
                "panel_contents": {},
            }
        )
    if not within_3_years_of_onset:
        trace.warn(
            "imacs_outside_window",
            f"The recommendations apply to adult-onset IIM diagnosed within {IMACS_WINDOW_YEARS} "
            "years of symptom onset.",
            "oldroyd-2023-international",
        )
    panels = IMACS_PANELS[risk_category]
    annual = risk_category == "high"
    pet_high = risk_category == "high" and not cancer_detected_at_diagnosis
    pet_tif1g = (
        anti_tif1g_dm
        and exact(age_at_onset) > IMACS_TIF1G_PET_AGE_ABOVE
        and additional_high_risk_feature
    )
    gi = risk_category == "high" and not cancer_detected_at_diagnosis
    trace.explain(f"{risk_category.capitalize()} risk → panels at diagnosis: {' + '.join(panels)}")
    if annual:
        trace.explain(
            f"High risk → repeat screening annually for {IMACS_HIGH_RISK_ANNUAL_YEARS} years "
            "after IIM onset"
        )
    if pet_high:
        trace.explain(
            "High risk with no cancer found at diagnosis → consider 18F-FDG PET-CT and upper and "
            "lower GI endoscopy"
        )
    if pet_tif1g:
        trace.explain(
            f"Anti-TIF1γ DM with onset > {IMACS_TIF1G_PET_AGE_ABOVE} years and ≥ 1 additional "
            "high-risk feature → consider 18F-FDG PET-CT as a single screening investigation"
        )
    if npc_endemic_region:
        trace.explain(
            "Region with increased nasopharyngeal carcinoma risk → consider nasoendoscopy at "
            "diagnosis"
        )
    if risk_category == "moderate":
        trace.warn(
            "imacs_moderate_frequency_unverified",
            "Screening frequency after diagnosis for the moderate-risk group was not verified; see "
            "the guideline.",
            "oldroyd-2023-international",
        )
    if cancer_detected_at_diagnosis:
        trace.warn(
            "cancer_detected",
            "Cancer was detected at diagnosis: manage oncologically; the screening actions address "
            "undetected cancer.",
        )
    if red_flag_features:
        trace.warn(
            "red_flags_present",
            f"Red-flag features ({RED_FLAGS}) call for investigation regardless of risk category.",
            "oldroyd-2023-international",
        )
    contents: dict[str, JSONValue] = {panel: list(IMACS_PANEL_CONTENTS[panel]) for panel in panels}
    panel_list: list[JSONValue] = list(panels)
    return trace.finish(
        {
            "routine_screening_required": True,
            "panels_at_diagnosis": panel_list,
            "annual_repeat_for_3_years": annual,
            "consider_pet_ct": pet_high or pet_tif1g,
            "consider_gi_endoscopy": gi,
            "consider_nasoendoscopy": npc_endemic_region,
            "panel_contents": contents,
        }
    )


IMACS_SCREENING = Calculator(
    id="imacs_screening_plan",
    title="IMACS 2023 cancer screening plan (from a chosen risk category)",
    version="1.1.0",
    family="screening",
    purpose=(
        "The screening actions of the IMACS 2023 guideline for a patient whose IIM-associated "
        "cancer risk (standard, moderate or high) the clinician has already assigned: panels at "
        "diagnosis, annual repeats, and when to consider PET-CT, GI endoscopy and nasoendoscopy."
    ),
    population="Adult-onset IIM diagnosed within 3 years of symptom onset (18 recommendations, "
    "modified Delphi).",
    inputs=(
        ChoiceInput(
            name="risk_category",
            label="IIM-associated cancer risk (assigned by the clinician)",
            choices=RISK_CHOICES,
            help="Assign from IIM subtype, MSA/MAA profile and clinical features per Fig. 1 of the "
            "guideline.",
        ),
        NumberInput(
            name="age_at_onset",
            label="Age at IIM onset",
            unit="years",
            hard_min=ANY_AGE_MIN_YEARS,
            min_inclusive=False,
            hard_max=AGE_MAX_YEARS,
            range_source="any age, so juvenile onset can be recognized; upper bound spec table "
            "[PC]",
            precision=0,
        ),
        BoolInput(name="cancer_detected_at_diagnosis", label="Cancer detected at IIM diagnosis"),
        BoolInput(name="anti_tif1g_dm", label="Anti-TIF1γ-positive dermatomyositis"),
        BoolInput(
            name="additional_high_risk_feature",
            label="At least one additional high-risk clinical feature",
        ),
        BoolInput(
            name="npc_endemic_region", label="Region with increased nasopharyngeal carcinoma risk"
        ),
        BoolInput(
            name="red_flag_features",
            label="Red-flag features (weight loss, family history, smoking, fever, night sweats)",
            required=False,
            default=False,
        ),
        BoolInput(
            name="within_3_years_of_onset",
            label="Diagnosed within 3 years of symptom onset",
            required=False,
            default=True,
        ),
    ),
    outputs=(
        Output(
            name="routine_screening_required", label="Routine screening required", kind="boolean"
        ),
        Output(name="panels_at_diagnosis", label="Panels at diagnosis", kind="list"),
        Output(
            name="annual_repeat_for_3_years", label="Repeat annually for 3 years", kind="boolean"
        ),
        Output(name="consider_pet_ct", label="Consider 18F-FDG PET-CT", kind="boolean"),
        Output(
            name="consider_gi_endoscopy",
            label="Consider upper and lower GI endoscopy",
            kind="boolean",
        ),
        Output(name="consider_nasoendoscopy", label="Consider nasoendoscopy", kind="boolean"),
        Output(
            name="panel_contents",
            label="Panel contents",
            kind="mapping",
            key_labels=(("basic", "Basic panel"), ("enhanced", "Enhanced panel")),
        ),
    ),
    formula=(
        "onset < 18 y: not routinely required; standard → basic; moderate/high → basic + enhanced "
        "at diagnosis;\nhigh → annual for 3 years; PET-CT if (high and no cancer found) or "
        "(anti-TIF1γ DM, onset > 40 y, ≥ 1 additional high-risk feature);\nGI endoscopy if high "
        "and no cancer found; nasoendoscopy in regions with increased nasopharyngeal carcinoma risk"
    ),
    references=("oldroyd-2023-international", "oldroyd-2024-author"),
    caveats=(
        "The risk category is an input: the mapping of subtypes, antibodies and clinical features "
        "to risk levels was not verified against Fig. 1 and is not implemented.",
        "Panel contents and the panel-by-category mapping come from secondary reports (EULAR 2024 "
        "report, JAMA Dermatology 2024 letter) [V2]; the abstract confirms only 'CT and tumour "
        "markers' for the enhanced panel.",
        "Red-flag features call for investigation whatever the category [V2].",
        "The content of the 2024 author correction was not seen; check whether it changes Fig. 1.",
        "Secondary papers sometimes call the categories low, intermediate and high.",
    ),
    provenance={
        "scope_and_categories": checked(
            "oldroyd-2023-international",
            "adult-onset IIM within 3 years of onset; standard, moderate or high risk",
            "abstract and Fig. 1 legend (PMC10834225)",
            covers=("routine_screening_required",),
        ),
        "conditional_recommendations": checked(
            "oldroyd-2023-international",
            "PET-CT, GI endoscopy and nasoendoscopy conditions",
            "Fig. 1 legend (PMC10834225)",
            covers=("consider_pet_ct", "consider_gi_endoscopy", "consider_nasoendoscopy"),
        ),
        "panels_by_category": checked(
            "oldroyd-2023-international",
            "basic for standard risk; basic + enhanced for moderate and high",
            "EULAR 2024 report and JAMA Dermatology 2024 letter (secondary)",
            label="V2",
            covers=("panels_at_diagnosis",),
        ),
        "panel_contents": checked(
            "oldroyd-2023-international",
            "what the basic and enhanced panels contain",
            "JAMA Dermatology 2024 letter (secondary); the abstract confirms CT and tumour markers",
            label="V2",
            covers=("panel_contents",),
        ),
        "annual_for_high_risk": checked(
            "oldroyd-2023-international",
            "annual screening for 3 years in high risk",
            "EULAR 2024 report (secondary)",
            label="V2",
            covers=("annual_repeat_for_3_years",),
        ),
        "red_flags": checked(
            "oldroyd-2023-international",
            "screen whenever red-flag features are present",
            "MDedge ACR 2022 report (secondary)",
            label="V2",
        ),
        "risk_assignment": unverified(
            "the mapping of subtype, antibodies and features to a risk category (Fig. 1)",
            "oldroyd-2023-international",
        ),
        "moderate_frequency": unverified(
            "screening frequency after diagnosis for the moderate-risk group",
            "oldroyd-2023-international",
        ),
    },
    not_included=(
        "The risk-assignment step (IMACS Fig. 1) is not implemented because it was not verified. "
        "Screening frequency for the moderate group after diagnosis and the number of years of "
        "basic re-screening per group are not verified and are not shown."
    ),
    examples=(
        Example(
            inputs={
                "risk_category": "high",
                "age_at_onset": 55,
                "cancer_detected_at_diagnosis": False,
                "anti_tif1g_dm": True,
                "additional_high_risk_feature": True,
                "npc_endemic_region": False,
            },
            expected={
                "routine_screening_required": True,
                "panels_at_diagnosis": ["basic", "enhanced"],
                "annual_repeat_for_3_years": True,
                "consider_pet_ct": True,
                "consider_gi_endoscopy": True,
                "consider_nasoendoscopy": False,
            },
            source="oldroyd-2023-international",
        ),
        Example(
            inputs={
                "risk_category": "standard",
                "age_at_onset": 40,
                "cancer_detected_at_diagnosis": False,
                "anti_tif1g_dm": True,
                "additional_high_risk_feature": True,
                "npc_endemic_region": True,
            },
            expected={
                "panels_at_diagnosis": ["basic"],
                "consider_pet_ct": False,
                "consider_nasoendoscopy": True,
            },
            source="oldroyd-2023-international",
            note="Onset at exactly 40 years is not > 40: the anti-TIF1γ PET-CT route does not "
            "apply.",
        ),
        Example(
            inputs={
                "risk_category": "high",
                "age_at_onset": 12,
                "cancer_detected_at_diagnosis": False,
                "anti_tif1g_dm": False,
                "additional_high_risk_feature": False,
                "npc_endemic_region": False,
            },
            expected={"routine_screening_required": False, "panels_at_diagnosis": []},
            source="oldroyd-2023-international",
            note="Juvenile onset: screening is not routinely required.",
        ),
    ),
    presentation=Presentation(
        primary="panels_at_diagnosis",
        phrase="Screening panels at diagnosis",
        secondary=(
            "routine_screening_required",
            "annual_repeat_for_3_years",
            "consider_pet_ct",
            "consider_gi_endoscopy",
            "consider_nasoendoscopy",
        ),
    ),
    compute=_imacs,
    related_entries=("cancer-screening",),
)

CALCULATORS: tuple[Calculator, ...] = (IMACS_SCREENING,)
