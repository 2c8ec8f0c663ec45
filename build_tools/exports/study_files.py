"""Study mode's files (`study/cards.json`, one Anki deck per domain `study/<deck>.apkg`),
made from the same corpus and edition changes as the study pages that link to them
(build_tools.study_site), written into the built site."""

from __future__ import annotations

from collections.abc import Mapping

from build_tools import study_site
from build_tools.exports import Export, ExportInput
from build_tools.site_views import PageViews


def files(job: ExportInput) -> Mapping[str, bytes]:
    """cards.json and the decks of the corpus being built."""
    return study_site.published(job.ctx, PageViews(job.ctx, job.corpus).study())


EXPORT = Export("study cards and decks", "site", files)
