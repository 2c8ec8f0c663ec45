"""Treatment algorithms: data → a vector diagram (Graphviz, at build time) and a text outline.

The diagram is drawn at build time so the site serves a static SVG (no diagram library in
the browser, nothing fetched) and the printed handbook embeds the same vector file. The
outline carries the same steps as text for phones, screen readers and search.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field

from build_tools import schema

SHAPES = {
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


def to_dot(algo: schema.Algorithm) -> str:
    """Black-on-white, meaning carried by shape and text (never colour alone): prints well."""
    out = [
        f"digraph {_quote(algo.id)} {{",
        '  graph [rankdir=TB, fontname="DejaVu Sans", nodesep=0.3, ranksep=0.35, bgcolor="white"];',
        '  node [fontname="DejaVu Sans", fontsize=11, color="black", fontcolor="black", '
        'margin="0.15,0.06"];',
        '  edge [fontname="DejaVu Sans", fontsize=10, color="black", fontcolor="black"];',
    ]
    for node in algo.nodes:
        out.append(
            f"  {_quote(node.id)} [label={_quote(_wrap(node.label))}, shape={SHAPES[node.kind]}];"
        )
    for edge in algo.edges:
        label = f" [label={_quote(_wrap(edge.condition, 24))}]" if edge.condition else ""
        out.append(f"  {_quote(edge.source)} -> {_quote(edge.target)}{label};")
    out.append("}")
    return "\n".join(out) + "\n"


class GraphvizMissing(RuntimeError):
    pass


def render_svg(algo: schema.Algorithm) -> bytes:
    dot = shutil.which("dot")
    if dot is None:
        raise GraphvizMissing(
            "Graphviz 'dot' is not installed (apt-get install graphviz; `make site` installs it)"
        )
    result = subprocess.run(
        [dot, "-Tsvg"], input=to_dot(algo).encode(), capture_output=True, check=True, timeout=60
    )
    svg = result.stdout
    # Drop the XML comments Graphviz writes (they carry its version: builds stay reproducible).
    return re.sub(rb"<!--.*?-->\n?", b"", svg, flags=re.DOTALL)


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
