"""Study mode's files (`study/cards.json`, one Anki deck per domain `study/<deck>.apkg`),
made from the same corpus and edition changes as the study pages that link to them
(build_tools.study_site), written into the built site."""

from __future__ import annotations

from collections.abc import Mapping

from build_tools import siteurl, study
from build_tools.exports import Export, ExportInput
from build_tools.site_views import PageViews


def files(job: ExportInput) -> Mapping[str, bytes]:
    """cards.json and the decks; the practice cases drawn with the edition as their seed,
    so one edition's cases are the same on every build."""
    ctx = job.ctx
    source = PageViews(ctx, job.corpus).study()
    site = siteurl.normalise(ctx.settings.site_url) if ctx.settings.site_url else siteurl.LOCAL
    return study.publish(source.export, source.changed, seed=ctx.calculators.edition, site_url=site)


EXPORT = Export("study cards and decks", "site", files)
