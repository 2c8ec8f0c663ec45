"""Treatment algorithms: data → a vector diagram (Graphviz, at build time) and a text outline.

The diagram is drawn at build time so the site serves a static SVG (no diagram library in
the browser, nothing fetched) and the printed handbook embeds the same vector file. The
outline carries the same steps as text for phones, screen readers and search.
"""

from __future__ import annotations

import html
import itertools
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field

from build_tools import schema

SHAPES: Mapping[str, str] = {
    "start": 'box, style="rounded,bold"',
    "step": "box",
    "decision": "diamond",
    "therapy": 'box, style="rounded"',
    "end": 'box, style="rounded,dashed"',
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class Link:
    """Where a node's therapy or test is described: its page, relative to the diagram's page."""

    title: str
    href: str


def to_dot(
    algo: schema.Algorithm,
    links: dict[str, list[Link]] | None = None,
    vertical: bool = False,
) -> str:
    """Black-on-white, meaning carried by shape and text (never colour alone): prints well.

    With `links`, a node naming therapies or tests links to their pages: the whole node when
    it names one, a line per page under its text when it names several. `vertical` stacks
    the options a step leads to one under another instead of side by side (the same nodes and
    arrows), so the diagram is one column that a phone shows at a readable size.
    """
    width, size = (24, 14) if vertical else (28, 11)
    out = [
        f"digraph {_quote(algo.id)} {{",
        '  graph [rankdir=TB, fontname="DejaVu Sans", nodesep=0.3, ranksep=0.35, bgcolor="white"];',
        f'  node [fontname="DejaVu Sans", fontsize={size}, color="black", fontcolor="black", '
        'margin="0.15,0.06"];',
        f'  edge [fontname="DejaVu Sans", fontsize={size - 1}, color="black", fontcolor="black"];',
    ]
    for node in algo.nodes:
        targets = (links or {}).get(node.id, [])
        attrs = f"label={_quote(_wrap(node.label, width))}"
        if len(targets) == 1:
            attrs += f", href={_quote(targets[0].href)}, tooltip={_quote(targets[0].title)}"
        elif targets:
            attrs = f"label={_html_label(node.label, targets, width)}"
        out.append(f"  {_quote(node.id)} [{attrs}, shape={SHAPES[node.kind]}];")
    for edge in algo.edges:
        wrap = 18 if vertical else 24
        label = f" [label={_quote(_wrap(edge.condition, wrap))}]" if edge.condition else ""
        out.append(f"  {_quote(edge.source)} -> {_quote(edge.target)}{label};")
    if vertical:
        children: dict[str, list[str]] = {}
        for edge in algo.edges:
            children.setdefault(edge.source, []).append(edge.target)
        for siblings in children.values():
            for upper, lower in itertools.pairwise(siblings):
                out.append(f"  {_quote(upper)} -> {_quote(lower)} [style=invis];")
    out.append("}")
    return "\n".join(out) + "\n"


def _html_label(text: str, targets: list[Link], width: int) -> str:
    """A node's text with one linked line per page it names (Graphviz HTML-like label)."""
    lines = "<BR/>".join(html.escape(line) for line in _wrap(text, width).split("\n"))
    rows = [f"<TR><TD>{lines}</TD></TR>"]
    for target in targets:
        title = "<BR/>".join(html.escape(line) for line in _wrap(target.title, width).split("\n"))
        rows.append(
            f'<TR><TD HREF="{html.escape(target.href)}" TOOLTIP="{html.escape(target.title)}">'
            f"<U>{title}</U></TD></TR>"
        )
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
    return f"<{table}{''.join(rows)}</TABLE>>"


class GraphvizMissing(RuntimeError):
    pass


def render_svg(
    algo: schema.Algorithm, links: dict[str, list[Link]] | None = None, vertical: bool = False
) -> bytes:
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing(
            "Graphviz 'dot' is not installed (apt-get install graphviz; `make site` installs it)"
        )
    result = subprocess.run(
        [dot, "-Tsvg"],
        input=to_dot(algo, links, vertical).encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    svg = result.stdout
    # Drop the XML comments Graphviz writes (they carry its version: builds stay reproducible).
    return re.sub(rb"<!--.*?-->\n?", b"", svg, flags=re.DOTALL)


_SVG_OPEN = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')

# On a phone the diagram is shrunk to the screen's width, but never below this share of its
# drawn size (its text stays about 10 px or more); a wider diagram scrolls sideways in its box.
MIN_SCALE = 0.55


def inline_svg(svg: bytes, label: str) -> str:
    """Graphviz's SVG for embedding in a page: no XML prolog, scaled to the width it is given.

    Inline rather than an image, so its links work and the page's stylesheet can colour it
    (dark mode). Blank lines are dropped: Markdown would end the raw HTML block at one.
    """
    text = svg.decode("utf-8")
    text = text[text.index("<svg") :]
    size = _SVG_OPEN.search(text)
    width = float(size.group(1)) * 4 / 3 if size else 0.0  # pt → CSS px
    style = f"max-width: {width:.0f}px; min-width: min({width:.0f}px, {width * MIN_SCALE:.0f}px)"
    text = _SVG_OPEN.sub(
        f'<svg width="100%" style="{style}" role="group" aria-label="{html.escape(label)}"',
        text,
        count=1,
    )
    return "\n".join(line for line in text.splitlines() if line.strip())


@dataclass
class OutlineStep:
    node: schema.AlgorithmNode
    depth: int
    condition: str | None = None
    edge_refs: list[str] = field(default_factory=list)
    repeat: bool = False


def outline(algo: schema.Algorithm) -> list[OutlineStep]:
    """Depth-first walk from the start nodes; a node reached twice is named, not repeated."""
    nodes = {n.id: n for n in algo.nodes}
    children: dict[str, list[schema.AlgorithmEdge]] = {n.id: [] for n in algo.nodes}
    has_parent = set()
    for edge in algo.edges:
        children[edge.source].append(edge)
        has_parent.add(edge.target)
    roots = [n for n in algo.nodes if n.id not in has_parent] or algo.nodes[:1]
    seen: set[str] = set()
    steps: list[OutlineStep] = []

    def visit(node_id: str, depth: int, edge: schema.AlgorithmEdge | None) -> None:
        repeat = node_id in seen
        steps.append(
            OutlineStep(
                nodes[node_id],
                depth,
                edge.condition if edge else None,
                list(edge.refs) if edge else [],
                repeat,
            )
        )
        if repeat:
            return
        seen.add(node_id)
        for child in children[node_id]:
            visit(child.target, depth + 1, child)

    for root in roots:
        visit(root.id, 0, None)
    return steps
