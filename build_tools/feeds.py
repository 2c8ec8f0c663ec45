"""The changes of an edition as an Atom feed and a JSON Feed, for readers who follow updates.

One feed item per changed item (a regimen, an evidence item, a recommendation...), named by
what changed and carrying the field lines ("dose: 2 g/kg → 1 g/kg"), linked to the item's
page on the published site. Items keep the same id across builds of an edition (the edition
and the item's stable id), so a feed reader shows each change once.

Both feeds are written from one list of `FeedItem`s; nothing here knows the site's layout
beyond the link function it is given.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from build_tools.changes import Change, ChangeSet

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NAME = "changes.atom"
JSON_NAME = "changes.json"

STATUS_WORDS: Mapping[str, str] = {"new": "New", "changed": "Changed", "withdrawn": "Withdrawn"}


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    url: str
    lines: tuple[str, ...]
    date: str
    """The edition's date, YYYY-MM-DD."""


def items(
    change_set: ChangeSet,
    date: str,
    link: Callable[[Change], str],
    why: Callable[[Change], str] = lambda change: "",
) -> list[FeedItem]:
    """One feed item per change, in the change set's order (guidance changes first);
    `why` says why a withdrawn item was withdrawn (its record's reason)."""
    ordered = sorted(change_set.changes, key=lambda c: not c.guidance)
    return [
        FeedItem(
            id=f"{link(c).split('#')[0]}#changed-{change_set.current}-{c.collection}-{c.id}",
            title=f"{STATUS_WORDS[c.status]} in {change_set.current}: {c.kind} “{_short(c.title)}”",
            url=link(c),
            lines=tuple(f.line() for f in c.fields) or (_status_line(c, why(c)),),
            date=date,
        )
        for c in ordered
    ]


def _status_line(change: Change, why: str = "") -> str:
    if change.status == "new":
        return f"New {change.kind}."
    return f"Withdrawn {change.kind}: {why or 'no longer in the guideline.'}"


def _short(title: str, width: int = 80) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def atom(
    feed_items: Sequence[FeedItem], *, title: str, site_url: str, feed_url: str, updated: str
) -> bytes:
    """An Atom 1.0 feed (RFC 4287) of the items."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", feed_url)
    sub(feed, "title", title)
    sub(feed, "updated", _timestamp(updated))
    sub(feed, "link", href=feed_url, rel="self")
    sub(feed, "link", href=site_url)
    author = sub(feed, "author")
    sub(author, "name", "Guideline editors")
    for item in feed_items:
        entry = sub(feed, "entry")
        sub(entry, "id", item.id)
        sub(entry, "title", item.title)
        sub(entry, "updated", _timestamp(item.date))
        sub(entry, "link", href=item.url)
        sub(entry, "content", "\n".join(item.lines), type="text")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def json_feed(feed_items: Sequence[FeedItem], *, title: str, site_url: str, feed_url: str) -> bytes:
    """A JSON Feed 1.1 of the items."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": site_url,
        "feed_url": feed_url,
        "authors": [{"name": "Guideline editors"}],
        "items": [
            {
                "id": item.id,
                "url": item.url,
                "title": item.title,
                "content_text": "\n".join(item.lines),
                "date_published": _timestamp(item.date),
            }
            for item in feed_items
        ],
    }
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
