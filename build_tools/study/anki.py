"""The take-away deck: the study cards as Anki packages (.apkg), one per deck, by genanki.

The same content gives the same bytes: deck and note-type ids are derived from fixed
names, note ids from the guideline's date (not the clock), each note's guid from the
card's id (so a re-imported edition updates a card rather than duplicating it), and the
zip is written with a fixed time stamp. The reference is on the back of every card.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import sqlite3
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

import genanki  # type: ignore[import-untyped]

DECK_ROOT: Final = "Myositis guideline"
"""The parent deck every domain deck sits under in Anki."""

FIELDS: Final = ("Topic", "Prompt", "Answer", "Detail", "Quote", "Source", "References", "Link")

FRONT: Final = '<div class="topic">{{Topic}}</div>\n<div class="prompt">{{Prompt}}</div>'
BACK: Final = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n'
    '{{#Detail}}<div class="detail">{{Detail}}</div>{{/Detail}}\n'
    '{{#Quote}}<blockquote class="quote">{{Quote}}</blockquote>{{/Quote}}\n'
    '<div class="source">{{Source}}</div>\n<div class="refs">{{References}}</div>\n'
    '<div class="link">{{Link}}</div>'
)
CSS: Final = (
    ".card{font-family:system-ui,sans-serif;font-size:18px;line-height:1.45;text-align:left;"
    "max-width:40em;margin:0 auto}.topic{font-size:.8em;opacity:.75}.prompt{margin:.5em 0}"
    ".answer{font-weight:600}.detail,.source,.refs,.link{font-size:.85em;margin-top:.5em}"
    ".quote{font-size:.9em;margin:.75em 0;padding-left:.75em;border-left:3px solid #888}"
    ".updated{font-size:.8em;font-weight:600}"
)

ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every file in the package: a fixed one, so bytes depend on content."""


def stable_id(name: str) -> int:
    """An Anki id (deck or note type) from a fixed name: same name, same id, every build."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
    return (1 << 30) + digest % (1 << 30)


def note_type() -> Any:
    """The note type: one card per note, prompt on the front, answer and sources on the back."""
    return genanki.Model(
        stable_id(f"{DECK_ROOT} study card"),
        f"{DECK_ROOT} study card",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )


def _lines(lines: Iterable[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines if line)


def note_fields(card: Mapping[str, Any], site_url: str = "") -> list[str]:
    """A card's fields as Anki HTML (escaped text; line breaks only)."""
    topic = html.escape(card["topic"])
    if card.get("updated_in"):
        topic += f' <span class="updated">· updated in {html.escape(card["updated_in"])}</span>'
    link = site_url.rstrip("/") + "/" + card["url"] if site_url else card["url"]
    refs = [
        f"[{r['number']}] {r['citation']}" if r.get("number") else str(r["citation"])
        for r in card["refs"]
    ]
    return [
        topic,
        html.escape(card["prompt"]),
        html.escape(card["answer"]),
        _lines(card["detail"]),
        _lines(card["quote"]),
        html.escape(f"Source: {card['source']}") if card["source"] else "",
        _lines(f"Reference: {r}" for r in refs),
        html.escape(f"In the guideline: {link}"),
    ]


def package(
    title: str,
    deck: str,
    cards: Iterable[Mapping[str, Any]],
    *,
    when: str,
    description: str = "",
    site_url: str = "",
) -> bytes:
    """One deck of cards as .apkg bytes. `when` (an ISO date, the guideline's) dates the
    notes, so the bytes do not depend on the day of the build."""
    model = note_type()
    anki_deck = genanki.Deck(stable_id(f"{DECK_ROOT} deck {deck}"), f"{DECK_ROOT}::{title}")
    anki_deck.description = description
    for card in cards:
        tags = [card["kind"], *(f"domain::{d}" for d in card["domains"])]
        if card.get("updated_in"):
            tags.append(f"updated::{card['updated_in']}")
        anki_deck.add_note(
            genanki.Note(
                model=model,
                fields=note_fields(card, site_url),
                guid=genanki.guid_for(f"{DECK_ROOT}:{card['id']}"),
                tags=[t.replace(" ", "_") for t in tags],
            )
        )
    stamp = datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp() if when else 0.0
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        genanki.Package(anki_deck).write_to_db(cursor, stamp, itertools.count(int(stamp * 1000)))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()
