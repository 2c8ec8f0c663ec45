"""Precompressed copies (`.br`, `.gz`) beside the files hosts serve them for.

Every runtime file gets precompressed copies (`.br` at Brotli's highest quality, `.gz`)
beside it, for hosts that serve them (nginx `gzip_static`/`brotli_static`, and others), and
so do the other files a first visit loads (build_tools.postbuild, FIRST_VISIT_FILES).
Brotli at quality 11 takes about a minute for the 8.6 MB `.wasm`, so compressed copies are
kept in `build/precompressed/`, named by the sha256 of what they compress.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRECOMPRESSED_CACHE = ROOT / "build" / "precompressed"
# Files worth a compressed copy (the rest of the runtime folder is already small).
PRECOMPRESS_MIN_BYTES = 1024
PRECOMPRESS_MAX_RATIO = 0.9  # a copy is kept only if at least 10 % smaller


def precompress(folder: Path, cache: Path = PRECOMPRESSED_CACHE) -> list[Path]:
    """Write `name.br` and `name.gz` beside every file of `folder` above 1 kB; return them.

    Hosts that serve precompressed copies send these instead of compressing on the fly,
    at a higher ratio than on-the-fly compression affords (Brotli quality 11: the 8.6 MB
    .wasm becomes 2.1 MB, against 2.8 MB gzipped). Compressing is deterministic, so a copy
    is reused from `cache` whenever the same bytes were compressed before.
    """
    return precompress_files(sorted(folder.iterdir()), cache)


def precompress_files(
    paths: list[Path], cache: Path | None = PRECOMPRESSED_CACHE, quality: int = 11
) -> list[Path]:
    """precompress() for the files named (folders and compressed copies are skipped).

    `quality` is Brotli's: 11 for the runtime, which changes only with Pyodide or the
    calculators; files that change with every content edit use less (9 is within 10 % of
    11's size for the search index, at a twentieth of the time) and no `cache`: a copy
    kept per content edit would only grow the cache, and compressing them is quick.
    """
    import brotli

    level = "" if quality == 11 else f".q{quality}"  # cached copies name their quality

    written = []
    for path in paths:
        if not path.is_file() or path.suffix in (".br", ".gz"):
            continue
        data = path.read_bytes()
        if len(data) < PRECOMPRESS_MIN_BYTES:
            continue
        digest = hashlib.sha256(data).hexdigest()
        for suffix, squeeze in (
            (".br", lambda raw: brotli.compress(raw, quality=quality)),
            (".gz", lambda raw: gzip.compress(raw, compresslevel=9, mtime=0)),
        ):
            kept = (
                None
                if cache is None
                else cache / f"{digest}{level if suffix == '.br' else ''}{suffix}"
            )
            packed = _compressed(data, squeeze, kept)
            if len(packed) > len(data) * PRECOMPRESS_MAX_RATIO:
                continue  # already compressed (the wheel): a copy would save nothing
            target = path.with_name(path.name + suffix)
            target.write_bytes(packed)
            written.append(target)
    return written


def _compressed(data: bytes, squeeze: Callable[[bytes], bytes], kept: Path | None) -> bytes:
    """`squeeze(data)`, read from `kept` when it holds it, else written there (if given)."""
    if kept is not None and kept.is_file():
        return kept.read_bytes()
    packed = squeeze(data)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        partial.write_bytes(packed)
        partial.replace(kept)  # atomic: parallel builds never read half a copy
    return packed
