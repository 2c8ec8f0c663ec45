"""The calculators wheel and its lock file: valid, reproducible, paired with the runtime."""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import json
import zipfile
from pathlib import Path

import pytest

from build_tools import precompress, wheel


def _record(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
    rows = [line.split(",") for line in archive.read(name).decode().splitlines()]
    return {path: (digest, size) for path, digest, size in rows}


def _check_record(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        record = _record(archive)
        assert set(record) == set(archive.namelist())
        for member, (digest, size) in record.items():
            if member.endswith("RECORD"):
                assert (digest, size) == ("", "")
                continue
            data = archive.read(member)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode()
            assert int(size) == len(data)


def test_source_wheel_is_complete_and_reproducible(tmp_path: Path) -> None:
    first = wheel.build_wheel(tmp_path / "a")
    second = wheel.build_wheel(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert first.name == f"calculators-{wheel.package_version()}-py3-none-any.whl"
    _check_record(first)
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        dist = next(n.split("/")[0] for n in names if n.endswith("METADATA"))
        metadata = archive.read(f"{dist}/METADATA").decode()
        wheel_file = archive.read(f"{dist}/WHEEL").decode()
    assert "calculators/registry.py" in names
    assert not any("__pycache__" in n for n in names)
    assert f"Version: {wheel.package_version()}\n" in metadata
    assert "Root-Is-Purelib: true\nTag: py3-none-any\n" in wheel_file


def test_version_is_the_edition_plus_a_content_hash(tmp_path: Path) -> None:
    from calculators.edition import GUIDELINE_EDITION

    version = wheel.package_version()
    assert version.startswith(GUIDELINE_EDITION + "+")
    copy = tmp_path / "calculators"
    for source in wheel.SOURCE.rglob("*.py"):  # the package and its subpackages
        target = copy / source.relative_to(wheel.SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    assert wheel.package_version(copy) == version
    (copy / "numeric.py").write_text((copy / "numeric.py").read_text() + "\n# changed\n")
    assert wheel.package_version(copy) != version


@pytest.mark.slow
def test_runtime_bundle_is_compiled_for_pyodide_and_locked(tmp_path: Path) -> None:
    bundle = wheel.build_runtime(tmp_path / "bundle")
    assert bundle.compiled  # .venv and Pyodide 0.29 are both Python 3.13
    assert bundle.wheel.name.endswith("-cp313-none-any.whl")
    _check_record(bundle.wheel)
    with zipfile.ZipFile(bundle.wheel) as archive:
        assert "calculators/registry.pyc" in archive.namelist()
        assert "calculators/registry.py" not in archive.namelist()
        # Stored, like the compiled standard library: its precompressed copy sees across files.
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    lock = json.loads(bundle.lockfile.read_text())
    assert lock["info"] == json.loads(wheel.RUNTIME_LOCK.read_text())["info"]
    assert list(lock["packages"]) == ["calculators"]
    entry = lock["packages"]["calculators"]
    assert entry["file_name"] == bundle.wheel.name
    assert entry["sha256"] == hashlib.sha256(bundle.wheel.read_bytes()).hexdigest()
    assert entry["depends"] == []
    again = wheel.build_runtime(tmp_path / "again")
    assert again.wheel.read_bytes() == bundle.wheel.read_bytes()


def test_a_python_mismatch_ships_source_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wheel, "runtime_python", lambda lock=None: (3, 12))
    bundle = wheel.build_runtime(tmp_path / "bundle")
    assert not bundle.compiled
    assert bundle.wheel.name.endswith("-py3-none-any.whl")
    assert "Pyodide runs 3.12" in bundle.note
    assert "byte code only loads in the minor version that compiled it" in bundle.note


def test_runtime_python_is_read_from_the_lock(tmp_path: Path) -> None:
    assert wheel.runtime_python() == (3, 13)
    broken = tmp_path / "pyodide-lock.json"
    broken.write_text('{"info": {}}')
    with pytest.raises(wheel.WheelError, match=r"cannot read info\.python"):
        wheel.runtime_python(broken)


def test_the_standard_library_served_is_the_listed_modules_compiled(tmp_path: Path) -> None:
    stdlib = wheel.build_stdlib(tmp_path / "stdlib.zip", (3, 13))
    listed = wheel.stdlib_files()
    with zipfile.ZipFile(stdlib) as archive:
        names = archive.namelist()
        files = sorted(n for n in names if not n.endswith("/"))
        assert files == sorted(name + "c" for name in listed)
        assert "asyncio/" in names  # packages keep their directory entries for zipimport
        assert {archive.getinfo(n).compress_type for n in files} == {zipfile.ZIP_STORED}
        # Byte code for Pyodide's Python, hash-based and unchecked (flags 0b01): no timestamps.
        code = archive.read("json/__init__.pyc")
        assert code[:4] == importlib.util.MAGIC_NUMBER
        assert int.from_bytes(code[4:8], "little") == 0b01
    with zipfile.ZipFile(wheel.STDLIB_SOURCE) as published:
        assert len(listed) < len([n for n in published.namelist() if n.endswith(".py")]) / 3
    again = wheel.build_stdlib(tmp_path / "again.zip", (3, 13))
    assert again.read_bytes() == stdlib.read_bytes()


def test_without_a_matching_python_the_standard_library_is_served_as_source(tmp_path: Path) -> None:
    stdlib = wheel.build_stdlib(tmp_path / "stdlib.zip", None)
    with zipfile.ZipFile(stdlib) as archive:
        files = sorted(n for n in archive.namelist() if not n.endswith("/"))
        assert files == wheel.stdlib_files()
        assert {archive.getinfo(n).compress_type for n in files} == {zipfile.ZIP_DEFLATED}


def test_a_listed_module_missing_from_pyodide_stops_the_build(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("# header\njson/__init__.py\nno_such_module.py\n")
    with pytest.raises(wheel.WheelError, match=r"lacks .*no_such_module\.py.*--observe-stdlib"):
        wheel.build_stdlib(tmp_path / "stdlib.zip", (3, 13), listing=listing)


def test_precompressed_copies_decode_to_the_file_and_are_reused(tmp_path: Path) -> None:
    import brotli

    folder = tmp_path / "runtime"
    folder.mkdir()
    text = b"def f():\n    return 42\n" * 400
    (folder / "big.js").write_bytes(text)
    (folder / "small.json").write_bytes(b"{}")
    (folder / "packed.whl").write_bytes(gzip.compress(text))
    cache = tmp_path / "cache"
    written = precompress.precompress(folder, cache)
    assert sorted(p.name for p in written) == ["big.js.br", "big.js.gz"]
    assert brotli.decompress((folder / "big.js.br").read_bytes()) == text
    assert gzip.decompress((folder / "big.js.gz").read_bytes()) == text
    kept = cache / (hashlib.sha256(text).hexdigest() + ".br")
    kept.write_bytes(b"reused")  # the cache is keyed by content: a second run reads it
    precompress.precompress(folder, cache)
    assert (folder / "big.js.br").read_bytes() == b"reused"


def test_what_a_first_visit_loads_is_precompressed_but_not_into_the_offline_copy(
    tmp_path: Path,
) -> None:
    """The search index and the site's scripts and styles get copies; pages do not.

    The offline copy keeps its own search index (it names pages `page.html`), so a copy of
    the published one must not land beside it; the launcher serves no compressed copies.
    """
    import brotli

    from build_tools import bundle, postbuild

    site = tmp_path / "site"
    index = b'{"docs": [{"location": "calculators/ivig_dose/"}]}' * 100
    files = {
        "search/search_index.json": index,
        "assets/javascripts/bundle.min.js": b"function f(){return 1}" * 100,
        "assets/css/calculator.css": b".md-typeset .calc-widget{margin:0}" * 100,
        "calculators/ivig_dose/index.html": b"<p>page</p>" * 200,
        "pyodide/pyodide.asm.wasm": b"\0asm" * 500,
    }
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    written = postbuild.precompress_first_visit(site)
    assert sorted(p.relative_to(site).as_posix() for p in written) == [
        "assets/css/calculator.css.br",
        "assets/css/calculator.css.gz",
        "assets/javascripts/bundle.min.js.br",
        "assets/javascripts/bundle.min.js.gz",
        "search/search_index.json.br",
        "search/search_index.json.gz",
    ]
    assert brotli.decompress((site / "search/search_index.json.br").read_bytes()) == index
    (site / "pyodide/pyodide.asm.wasm.br").write_bytes(
        brotli.compress(files["pyodide/pyodide.asm.wasm"])
    )

    offline = tmp_path / "offline"
    for rel in ("search/search_index.json", "assets/javascripts/bundle.min.js"):
        (offline / rel).parent.mkdir(parents=True, exist_ok=True)
        (offline / rel).write_bytes(b"the offline build's own")
    bundle.merge_post_build_files(site, offline)
    copied = sorted(p.relative_to(offline).as_posix() for p in offline.rglob("*") if p.is_file())
    assert copied == [
        "assets/css/calculator.css",  # only the published build wrote these
        "assets/css/calculator.css.br",
        "assets/css/calculator.css.gz",
        "assets/javascripts/bundle.min.js",
        "pyodide/pyodide.asm.wasm",
        "pyodide/pyodide.asm.wasm.br",
        "search/search_index.json",
    ]
    assert (offline / "search/search_index.json").read_bytes() == b"the offline build's own"
