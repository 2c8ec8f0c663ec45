"""The calculator runtime the build ships is the one package-lock.json locked.

Finding 9 of issue 14: files changed in node_modules/pyodide were published unchecked.
The build checks every Pyodide file it reads or ships against pyodide-files.json, a
manifest made from the npm tarball after checking that against the lock file's integrity.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from build_tools import postbuild, runtimecheck, wheel

USED = (*postbuild.RUNTIME_FILES, wheel.LOCKFILE_NAME)


@pytest.fixture
def runtime(tmp_path: Path) -> Path:
    """A copy of the vendored runtime's files the build uses."""
    folder = tmp_path / "pyodide"
    folder.mkdir()
    for name in USED:
        shutil.copyfile(wheel.RUNTIME / name, folder / name)
    return folder


def test_the_manifest_is_for_the_locked_version() -> None:
    manifest = runtimecheck.load_manifest()
    assert {k: manifest[k] for k in ("version", "integrity")} == runtimecheck.locked()
    assert set(USED) <= set(manifest["files"])


def test_the_installed_runtime_matches_the_lock() -> None:
    runtimecheck.verify_runtime(wheel.RUNTIME, USED)


@pytest.mark.parametrize("name", USED)
def test_a_changed_runtime_file_is_refused_before_anything_is_published(
    runtime: Path, tmp_path: Path, name: str
) -> None:
    path = runtime / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    site = tmp_path / "site"
    with pytest.raises(runtimecheck.RuntimeMismatch) as info:
        postbuild.install_runtime(site, runtime)
    assert str(info.value).startswith(f"{path} is not the file Pyodide ")
    assert str(info.value).endswith("refusing to publish it: run `npm ci` to restore it")
    assert not (site / postbuild.RUNTIME_FOLDER).exists()


def test_a_missing_runtime_file_is_refused(runtime: Path) -> None:
    (runtime / "pyodide.asm.wasm").unlink()
    with pytest.raises(runtimecheck.RuntimeMismatch, match="cannot be read"):
        runtimecheck.verify_runtime(runtime, USED)


def test_a_manifest_for_another_version_is_refused(runtime: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    data = runtimecheck.load_manifest()
    manifest.write_text(json.dumps({**data, "version": "0.0.1"}))
    with pytest.raises(runtimecheck.RuntimeMismatch, match=r"describes Pyodide 0\.0\.1"):
        runtimecheck.verify_runtime(runtime, USED, manifest=manifest)


def _tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_the_manifest_is_made_only_from_the_tarball_the_lock_names(tmp_path: Path) -> None:
    tgz = _tarball({"pyodide.mjs": b"export {}", "pyodide-lock.json": b"{}"})
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode()
    lock = tmp_path / "package-lock.json"
    lock.write_text(
        json.dumps(
            {"packages": {"node_modules/pyodide": {"version": "9.9.9", "integrity": integrity}}}
        )
    )
    tarball = tmp_path / "pyodide-9.9.9.tgz"
    tarball.write_bytes(tgz)
    assert runtimecheck.manifest_from_tarball(tarball, lock) == {
        "version": "9.9.9",
        "integrity": integrity,
        "files": {
            "pyodide-lock.json": hashlib.sha256(b"{}").hexdigest(),
            "pyodide.mjs": hashlib.sha256(b"export {}").hexdigest(),
        },
    }
    tarball.write_bytes(tgz + b"\0")
    with pytest.raises(runtimecheck.RuntimeMismatch, match="does not match"):
        runtimecheck.manifest_from_tarball(tarball, lock)
