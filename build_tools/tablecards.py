"""Wide tables as labelled cards on a phone.

A dose or evidence table of four or more columns does not fit a phone's width: it ran off the
screen with no cue. Each of its cells is given its column's heading (`data-label`), and the
table is marked (`data-cards`), so that below a width the stylesheet (guideline.css) can show
every row as a card of labelled fields: the same content, no sideways scrolling. Narrower
tables stay tables; they scroll, with a cue, under a sticky first column.
"""

from __future__ import annotations

import html
import re

# Tables with at least this many columns become cards on narrow screens.
CARD_COLUMNS = 4

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_BODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_TD = re.compile(r"<td\b")
_TAG = re.compile(r"<[^>]+>")


def label_tables(page_html: str) -> str:
    """The page's HTML with every wide table's cells labelled by their column's heading."""
    return _TABLE.sub(_label, page_html)


def _label(table: re.Match[str]) -> str:
    inner = table.group(1)
    head = _HEAD.search(inner)
    if head is None:
        return table.group(0)
    labels = [_text(cell) for cell in _TH.findall(head.group(1))]
    if len(labels) < CARD_COLUMNS:
        return table.group(0)
    quoted = [html.escape(label, quote=True) for label in labels]

    def row(match: re.Match[str]) -> str:
        column = iter(quoted)
        return (
            "<tr>"
            + _TD.sub(lambda _: f'<td data-label="{next(column, "")}"', match.group(1))
            + "</tr>"
        )

    def body(match: re.Match[str]) -> str:
        return "<tbody>" + _ROW.sub(row, match.group(1)) + "</tbody>"

    return '<table data-cards="">' + _BODY.sub(body, inner) + "</table>"


def _text(cell: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", cell))).strip()
