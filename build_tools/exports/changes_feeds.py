"""This edition's changes as feeds (`changes.atom`, `changes.json`), for readers who follow
updates in a feed reader: one item per changed item, linked to it on the published site."""

from __future__ import annotations

from collections.abc import Mapping

from build_tools import feeds, siteurl, whatsnew
from build_tools.changes import Change, text
from build_tools.exports import Export, ExportInput
from build_tools.snapshot import EditionMemo


def files(job: ExportInput) -> Mapping[str, bytes]:
    """Both feeds, or none for a first edition (nothing to compare with)."""
    ctx, corpus = job.ctx, job.corpus
    changes = whatsnew.edition_changes(
        corpus, ctx.calculators.edition, ctx.settings.content, EditionMemo()
    )
    if changes.change_set is None:
        return {}
    site = siteurl.normalise(ctx.settings.site_url) if ctx.settings.site_url else siteurl.LOCAL

    def link(change: Change) -> str:
        path = changes.path(change) or whatsnew.PAGE_PATH
        page, _, fragment = path.partition("#")
        slug = page.removesuffix(".md")  # published as folders (use_directory_urls)
        slug = slug.removesuffix("index") if slug.rpartition("/")[2] == "index" else slug + "/"
        return site + slug + (f"#{fragment}" if fragment else "")

    title = f"{corpus.guideline.title}: changes in {changes.edition}"

    def why(change: Change) -> str:
        stone = changes.tombstone(change)
        if stone is None:
            return ""
        instead = f" See instead: {stone.replaced_by}." if stone.replaced_by else ""
        return text(stone.reason) + instead

    listed = feeds.items(changes.change_set, corpus.guideline.date, link, why)
    return {
        feeds.ATOM_NAME: feeds.atom(
            listed,
            title=title,
            site_url=site,
            feed_url=site + feeds.ATOM_NAME,
            updated=corpus.guideline.date,
        ),
        feeds.JSON_NAME: feeds.json_feed(
            listed, title=title, site_url=site, feed_url=site + feeds.JSON_NAME
        ),
    }


EXPORT = Export("changes feeds", "site", files)
