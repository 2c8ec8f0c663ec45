"""The content store: what the content layer keeps between loads, and its identity rule.

Filled in by the content-intake redesign: parsed files, validated objects, facts and
cross-check results kept per file, and the last successful load. The identity rule lives
here and only here: an unchanged file yields the very same objects, so later stages may
compare by identity (`is`) to know nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ContentStore:
    """Per-file memos of the content layer, owned by one BuildContext."""
