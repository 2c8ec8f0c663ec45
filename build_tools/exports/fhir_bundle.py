"""The FHIR R5 Bundle (`fhir/guideline.json`): the guideline's evidence, plans, key
recommendations and the calculator Libraries (build_tools.fhir), with canonical URLs at the
public address."""

from __future__ import annotations

from collections.abc import Mapping

from build_tools import fhir, siteurl
from build_tools.exports import Export, ExportInput

RUNTIME_FOLDER = "pyodide"
"""Where the calculator runtime and its wheel are installed in the site (postbuild)."""


def files(job: ExportInput) -> Mapping[str, bytes]:
    try:
        from calculators.registry import CALCULATORS

        calculators = list(CALCULATORS.values())
    except ImportError:
        calculators = []
    wheels = sorted((job.site / RUNTIME_FOLDER).glob("*.whl"))
    bundle = fhir.build_bundle(
        job.corpus,
        calculators,
        siteurl.site_url({siteurl.ENV: job.ctx.settings.site_url}),
        job.ctx.calculators.edition,
        wheels[-1].name if wheels else None,
    )
    return {f"{fhir.FOLDER}/{fhir.BUNDLE}": fhir.dumps(bundle)}


EXPORT = Export("FHIR Bundle", "site", files)
