"""The calculator runtime the site ships is the runtime package-lock.json locked.

npm checks a package's tarball against the lock file's integrity when it installs it, but
nothing checks node_modules/ afterwards: a file changed there would be published to every
reader. The build therefore checks each Pyodide file it reads or ships against a manifest
of hashes kept in the repository (pyodide-files.json). The manifest is made from the npm
tarball itself, after checking that tarball against package-lock.json's integrity:

    npm pack pyodide@<version>          # the tarball npm would install
    python -m build_tools.runtimecheck pyodide-<version>.tgz
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = Path(__file__).resolve().with_name("pyodide-files.json")
PACKAGE_LOCK = ROOT / "package-lock.json"
PACKAGE = "pyodide"


class RuntimeMismatch(RuntimeError):
    """A vendored runtime file differs from the locked one (or the manifest is stale)."""


def locked(lock: Path = PACKAGE_LOCK) -> dict[str, str]:
    """The version and integrity package-lock.json records for Pyodide."""
    entry = json.loads(lock.read_text("utf-8"))["packages"][f"node_modules/{PACKAGE}"]
    return {"version": entry["version"], "integrity": entry["integrity"]}


def load_manifest(manifest: Path = MANIFEST) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(manifest.read_text("utf-8"))
    return data


def verify_runtime(
    runtime: Path,
    names: Iterable[str],
    manifest: Path = MANIFEST,
    lock: Path = PACKAGE_LOCK,
) -> None:
    """Raise RuntimeMismatch unless every named file in `runtime` has its locked hash."""
    held = load_manifest(manifest)
    expected = locked(lock)
    if {k: held.get(k) for k in expected} != expected:
        raise RuntimeMismatch(
            f"{manifest.name} describes Pyodide {held.get('version')}, but package-lock.json "
            f"locks {expected['version']}: make the manifest again from the locked tarball "
            "(see build_tools/runtimecheck.py)"
        )
    for name in names:
        path = runtime / name
        want = held["files"].get(name)
        if want is None:
            raise RuntimeMismatch(f"{name} is not a file of Pyodide {expected['version']}")
        try:
            got = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise RuntimeMismatch(
                f"{path} cannot be read ({exc.strerror or exc}): run `npm ci`"
            ) from None
        if got != want:
            raise RuntimeMismatch(
                f"{path} is not the file Pyodide {expected['version']} ships (sha256 {got}, "
                f"locked {want}); refusing to publish it: run `npm ci` to restore it"
            )


def manifest_from_tarball(tarball: Path, lock: Path = PACKAGE_LOCK) -> dict[str, Any]:
    """Hashes of every file in the npm tarball, once the tarball matches the lock file."""
    expected = locked(lock)
    data = tarball.read_bytes()
    algorithm, _, digest = expected["integrity"].partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != digest:
        raise RuntimeMismatch(f"{tarball} does not match package-lock.json's integrity")
    files: dict[str, str] = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("package/"):
                handle = archive.extractfile(member)
                assert handle is not None
                files[member.name.removeprefix("package/")] = hashlib.sha256(
                    handle.read()
                ).hexdigest()
    return {**expected, "files": dict(sorted(files.items()))}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m build_tools.runtimecheck pyodide-<version>.tgz", file=sys.stderr)
        return 2
    try:
        manifest = manifest_from_tarball(Path(args[0]))
    except RuntimeMismatch as exc:
        print(exc, file=sys.stderr)
        return 1
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    print(f"{MANIFEST.name}: Pyodide {manifest['version']}, {len(manifest['files'])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
