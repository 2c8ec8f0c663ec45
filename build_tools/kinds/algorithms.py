"""content/algorithms/*.yaml: treatment algorithms as data, one per file."""

from collections.abc import Iterator

from build_tools import schema
from build_tools.kinds.base import Kind


def _edges_join_nodes(algo: schema.Algorithm) -> Iterator[tuple[tuple[str | int, ...], str]]:
    node_ids = {n.id for n in algo.nodes}
    for i, edge in enumerate(algo.edges):
        for end, name in ((edge.source, "from"), (edge.target, "to")):
            if end not in node_ids:
                yield ("edges", i, name), f"unknown node id {end!r}"


KIND = Kind(
    name="algorithms",
    model=schema.Algorithm,
    pattern="algorithms/*.yaml",
    per_file=True,
    shape="keyed",
    summary=lambda a: a.title,
    unique="algorithm",
    check=_edges_join_nodes,
)
