"""Package `calculators/` as a wheel that the browser's Pyodide loads, plus a lock file for it.

The browser runs the very same calculator code as CPython: the site ships Pyodide (from
node_modules/pyodide, never a CDN) and a wheel of `calculators`, and the page's Web Worker
calls `calculators.registry.run_json` through it. Nothing is ported to JavaScript, so the
browser cannot drift from the Python that the tests check.

Runtime pairing (copy into the README)
--------------------------------------
* The runtime is the `pyodide` npm package pinned in package.json (0.29.x). Its Python
  version is read from `node_modules/pyodide/pyodide-lock.json` (`info.python`; 3.13 for
  0.29.x), never assumed.
* The wheel is byte-compiled with `pyodide py-compile`, which runs in the *build* Python
  (the virtual environment). Byte code is specific to a Python minor version: a `.pyc`
  compiled by 3.12 does not load in a 3.13 interpreter. So the build Python's minor
  version must equal the runtime's: Python 3.13 in `.venv` for Pyodide 0.29.x. A compiled
  wheel spares the browser compiling the sources on first import (a slow phone pays for
  that on every cold start); it is somewhat larger than the source one.
* If the two differ (say, Pyodide is upgraded before the venv), the wheel is shipped as
  source instead, which works with any Pyodide, and the build says why. Upgrading Pyodide
  therefore means: bump package.json, then move `.venv` to the Python in `info.python`.
* `pyodide build` is not used: it needs the network (it downloads a cross-build
  environment) and is meant for compiled extensions. `calculators` is pure standard-library
  Python, so the wheel is written here with `zipfile` (PEP 427 layout, RECORD hashes).
* The lock file shipped keeps the runtime's `info` and lists only the wheel, so
  `loadPackage("calculators")` resolves from the site itself and the browser downloads
  0.5 kB of lock file, not 120 kB. It is written with the models of `pyodide-lock` (the
  library behind `pyodide lockfile add-wheels`); the CLI itself needs the optional
  `pkginfo` package, which the pinned environment lacks, and it rejects the cp313 tag
  that `pyodide py-compile` gives a compiled wheel, so the two steps do not chain.
* The wheel's version carries a content hash (`2026.1+<hash>`), so its URL changes
  whenever the code does: a browser or service-worker cache can never pair an old wheel
  with a new lock file (Pyodide checks the wheel's sha256 against the lock).
* The standard library is served trimmed: `calculators-stdlib.zip` holds only the modules
  listed in `calculators_stdlib.txt` (what Pyodide needs to start and install the wheel,
  and what the calculators import), 131 of Pyodide's 531 files. Like the wheel it is
  byte-compiled when the Pythons match, here at optimisation level 2 (no docstrings, no
  asserts, as `python -OO`): the phone skips compiling ~2.7 MB of source at every start,
  and the archive is smaller. It is stored uncompressed so that the whole archive
  compresses well (`.br` 0.8 MB against 2.4 MB for the published, per-file deflated one).
  tests/parity runs every case on this archive, so a module missing from the list fails
  there, not in a reader's browser.
* The compiled wheel is stored too (0.38 MB; 0.13 MB as `.br`, against 0.2 MB deflated
  file by file).
* Every runtime file gets precompressed copies (build_tools.precompress).
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "calculators"
SOURCE = ROOT / PACKAGE
RUNTIME = ROOT / "node_modules" / "pyodide"
RUNTIME_LOCK = RUNTIME / "pyodide-lock.json"
LOCKFILE_NAME = "pyodide-lock.json"
STDLIB_SOURCE = RUNTIME / "python_stdlib.zip"
STDLIB_NAME = "calculators-stdlib.zip"
STDLIB_LIST = Path(__file__).with_name("calculators_stdlib.txt")
# Where the standard library sits in Pyodide's file system (for tracebacks in .pyc files).
STDLIB_MOUNT = "/lib/python{major}{minor}.zip/"
# Part of the version hash: a change in how the wheel is written (here, stored instead of
# deflated) changes its bytes, so it must change its URL too, or a browser holding the old
# file under the same name would fail the lock file's sha256 check.
WHEEL_LAYOUT = "stored"
# Fixed timestamp for every archive member, so the same source gives the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = 315532800  # the same instant, for py_compile
SOURCE_TAG = "py3-none-any"
PYODIDE_CLI = Path(sys.executable).with_name("pyodide")


class WheelError(RuntimeError):
    """The runtime bundle could not be made; the message says which step and how to fix it."""


@dataclass(frozen=True)
class RuntimeBundle:
    """What `build_runtime` produced: a folder holding the wheel and its lock file."""

    folder: Path
    wheel: Path
    lockfile: Path
    stdlib: Path
    compiled: bool
    note: str


def package_version(source: Path = SOURCE) -> str:
    """The guideline edition plus a hash of the package sources (see the module docstring)."""
    namespace: dict[str, object] = {}
    edition_file = source / "edition.py"
    exec(compile(edition_file.read_text("utf-8"), str(edition_file), "exec"), namespace)
    edition = namespace.get("GUIDELINE_EDITION")
    if not isinstance(edition, str):
        raise WheelError(f"{edition_file}: GUIDELINE_EDITION must be a string")
    digest = hashlib.sha256(WHEEL_LAYOUT.encode() + b"\0")
    for path in _sources(source):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{edition}+{digest.hexdigest()[:12]}"


def _sources(source: Path) -> list[Path]:
    return sorted(
        p
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".py", ".typed")
    )


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def build_wheel(out_dir: Path, source: Path = SOURCE, version: str | None = None) -> Path:
    """Write a pure-Python (py3-none-any) wheel of `source` into `out_dir`; return its path."""
    version = version or package_version(source)
    name = source.name
    dist_info = f"{name}-{version}.dist-info"
    members: list[tuple[str, bytes]] = [
        (f"{name}/{p.relative_to(source).as_posix()}", p.read_bytes()) for p in _sources(source)
    ]
    if not members:
        raise WheelError(f"{source}: no Python files to package")
    metadata = (
        "Metadata-Version: 2.1\n"
        f"Name: {name}\n"
        f"Version: {version}\n"
        "Summary: Guideline calculators (refractory myositis and myositis-ILD), stdlib only\n"
        "Requires-Python: >=3.13\n"
    )
    members.append((f"{dist_info}/METADATA", metadata.encode()))
    members.append((f"{dist_info}/top_level.txt", f"{name}\n".encode()))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}-{version}-{SOURCE_TAG}.whl"
    _write_archive(target, members, SOURCE_TAG)
    return target


def _write_archive(
    target: Path, members: list[tuple[str, bytes]], tag: str, method: int = zipfile.ZIP_DEFLATED
) -> None:
    """Write a wheel: `members` plus a WHEEL file for `tag` and a RECORD of everything.

    Members are sorted and stamped with a fixed date, so equal input gives equal bytes.
    """
    dist_info = next(n.split("/")[0] for n, _ in members if n.endswith(".dist-info/METADATA"))
    wheel_meta = (
        f"Wheel-Version: 1.0\nGenerator: build_tools.wheel\nRoot-Is-Purelib: true\nTag: {tag}\n"
    )
    members = sorted(members)
    members.append((f"{dist_info}/WHEEL", wheel_meta.encode()))
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in members)
    record += f"{dist_info}/RECORD,,\n"
    members.append((f"{dist_info}/RECORD", record.encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for path, data in members:
            info = zipfile.ZipInfo(path, ZIP_EPOCH)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    target.write_bytes(buffer.getvalue())


def runtime_python(lock: Path = RUNTIME_LOCK) -> tuple[int, int]:
    """The (major, minor) Python version of the Pyodide runtime, from its lock file."""
    try:
        info = json.loads(lock.read_text("utf-8"))["info"]
        major, minor = (int(part) for part in str(info["python"]).split(".")[:2])
    except FileNotFoundError:
        raise WheelError(f"{lock} is missing: run `make setup` (npm ci installs pyodide)") from None
    except (KeyError, ValueError, TypeError) as exc:
        raise WheelError(f"{lock}: cannot read info.python ({exc})") from None
    return major, minor


def _run(args: list[str], step: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=300, env=env)
    if result.returncode != 0:
        raise WheelError(
            f"{step} failed (exit {result.returncode}): {' '.join(args)}\n"
            f"{result.stdout}{result.stderr}".rstrip()
        )


def compile_wheel(wheel: Path) -> Path:
    """Byte-compile `wheel` with `pyodide py-compile`; return the cp3XX-tagged wheel.

    SOURCE_DATE_EPOCH makes py_compile write hash-based .pyc files instead of ones stamped
    with the build time; the archive is then rewritten with fixed timestamps and a fresh
    RECORD (py-compile leaves RECORD listing the .py files it removed), so the same source
    always gives the same bytes and the same sha256 in the lock file. It is rewritten
    stored, like the compiled standard library, so that its precompressed copies see
    across files: 0.13 MB as `.br` against 0.2 MB deflated file by file.
    """
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)}
    args = [str(PYODIDE_CLI), "py-compile", "--silent", "--no-keep", str(wheel)]
    _run(args, "pyodide py-compile", env)
    wheels = sorted(wheel.parent.glob("*.whl"))
    if len(wheels) != 1:
        raise WheelError(f"pyodide py-compile left {len(wheels)} wheels in {wheel.parent}")
    compiled = wheels[0]
    tag = compiled.name.removesuffix(".whl").split("-", 2)[2]
    with zipfile.ZipFile(compiled) as archive:
        members = [
            (name, archive.read(name))
            for name in archive.namelist()
            if not name.endswith((".dist-info/RECORD", ".dist-info/WHEEL"))
        ]
    _write_archive(compiled, members, tag, zipfile.ZIP_STORED)
    return compiled


def write_lockfile(wheel: Path, out: Path, base_lock: Path = RUNTIME_LOCK) -> Path:
    """A pyodide-lock.json with the runtime's `info` and one package: `wheel`.

    The entry is made with pyodide-lock's own models (the library behind `pyodide lockfile
    add-wheels`), which validate the format. The CLI itself is not called: it reads wheel
    metadata through the optional `pkginfo` package, absent from the pinned environment,
    and its one extra service, resolving dependencies, does not apply to a package that
    must have none. The shipped lock lists only this wheel, so nothing in it names a file
    the site does not host.
    """
    from pyodide_lock import PackageSpec, PyodideLockSpec

    runtime = PyodideLockSpec.from_json(base_lock)
    name, version = wheel.name.split("-")[:2]
    spec = PyodideLockSpec(
        info=runtime.info,
        packages={
            PACKAGE: PackageSpec(
                name=name,
                version=version,
                file_name=wheel.name,
                install_dir="site",
                sha256=hashlib.sha256(wheel.read_bytes()).hexdigest(),
                package_type="package",
                imports=[PACKAGE],
                depends=[],
            )
        },
    )
    spec.check_wheel_filenames()
    spec.to_json(out, indent=1)
    return out


def build_runtime(out_dir: Path, source: Path = SOURCE, lock: Path = RUNTIME_LOCK) -> RuntimeBundle:
    """Wheel → byte-compiled when the Pythons match (else source) → lock file, in `out_dir`."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    runtime = runtime_python(lock)
    here = sys.version_info[:2]
    wheel = build_wheel(out_dir, source)
    if here == runtime:
        wheel = compile_wheel(wheel)
        note = f"byte-compiled for Python {runtime[0]}.{runtime[1]} (Pyodide's)"
    else:
        note = (
            f"shipped as source: the build Python is {here[0]}.{here[1]} but Pyodide runs "
            f"{runtime[0]}.{runtime[1]}, and byte code only loads in the minor version "
            f"that compiled it (use a {runtime[0]}.{runtime[1]} venv to ship .pyc)"
        )
    lockfile = write_lockfile(wheel, out_dir / LOCKFILE_NAME, lock)
    _check_lockfile(lockfile, wheel)
    stdlib = build_stdlib(out_dir / STDLIB_NAME, runtime if here == runtime else None)
    return RuntimeBundle(out_dir, wheel, lockfile, stdlib, here == runtime, note)


def stdlib_files(listing: Path = STDLIB_LIST) -> list[str]:
    """The paths inside python_stdlib.zip that the site serves (see calculators_stdlib.txt)."""
    lines = (line.strip() for line in listing.read_text("utf-8").splitlines())
    return sorted({line for line in lines if line and not line.startswith("#")})


def build_stdlib(
    target: Path,
    compile_for: tuple[int, int] | None,
    source: Path = STDLIB_SOURCE,
    listing: Path = STDLIB_LIST,
) -> Path:
    """Write the trimmed standard library: the listed modules, byte-compiled when possible.

    `compile_for` is the runtime's (major, minor) when the build Python is the same
    version (byte code only loads in the version that wrote it); None ships sources.
    Compiled files are hash-based and unchecked (no timestamps: same input, same bytes; the
    archive holds no sources to check against). The archive is stored, not deflated, so a
    host's compression (or the precompressed copies) sees across files; with sources it is
    deflated, like Pyodide's own, since a source archive is what any host can serve as is.
    """
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise WheelError(
            f"{source} is missing: run `make setup` (npm ci installs pyodide)"
        ) from None
    with archive:
        present = set(archive.namelist())
        wanted = stdlib_files(listing)
        missing = [name for name in wanted if name not in present]
        if missing:
            raise WheelError(
                f"{listing.name} lists {len(missing)} file(s) that {source.name} lacks "
                f"({', '.join(missing[:5])}): regenerate it with "
                "`python -m build_tools.wheel --observe-stdlib` (see its header)"
            )
        members = [(name, archive.read(name)) for name in wanted]
    method = zipfile.ZIP_DEFLATED
    if compile_for is not None:
        members = _byte_compile(
            members, STDLIB_MOUNT.format(major=compile_for[0], minor=compile_for[1])
        )
        method = zipfile.ZIP_STORED
    folders = sorted({name.rsplit("/", 1)[0] + "/" for name, _ in members if "/" in name})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for folder in folders:  # zipimport finds packages by their directory entries
            out.writestr(zipfile.ZipInfo(folder, ZIP_EPOCH), b"")
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            out.writestr(info, data)
    target.write_bytes(buffer.getvalue())
    return target


def _byte_compile(members: list[tuple[str, bytes]], mount: str) -> list[tuple[str, bytes]]:
    """(path.py, source) → (path.pyc, byte code at optimisation level 2)."""
    compiled = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, data in members:
            if not name.endswith(".py"):
                compiled.append((name, data))
                continue
            source = folder / "module.py"
            cfile = folder / "module.pyc"
            source.write_bytes(data)
            try:
                py_compile.compile(
                    str(source),
                    cfile=str(cfile),
                    dfile=mount + name,
                    doraise=True,
                    optimize=2,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
            except py_compile.PyCompileError as exc:
                raise WheelError(
                    f"{STDLIB_SOURCE.name}: {name} does not compile ({exc.msg})"
                ) from None
            compiled.append((name + "c", cfile.read_bytes()))
    return compiled


def _check_lockfile(lockfile: Path, wheel: Path) -> None:
    """The lock must name the wheel actually shipped, with its real hash (else Pyodide fails)."""
    entry = json.loads(lockfile.read_text("utf-8"))["packages"][PACKAGE]
    actual = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if entry["file_name"] != wheel.name or entry["sha256"] != actual:
        raise WheelError(
            f"{lockfile}: lists {entry['file_name']} ({entry['sha256'][:12]}...) but the wheel is "
            f"{wheel.name} ({actual[:12]}...)"
        )


def observe_stdlib() -> list[str]:
    """The standard-library files Pyodide loads to start, install the wheel and run every case.

    Runs the parity cases (tests/parity) under Node on the *full* python_stdlib.zip and
    lists what came from it: the content of calculators_stdlib.txt.
    """
    # The parity cases live with the tests; imported by name so that type-checking the
    # build tools does not pull the test suite in.
    all_cases = importlib.import_module("tests.parity.cases").all_cases
    node = shutil.which("node")
    if node is None:
        raise WheelError("node is not installed: observing the imports runs Pyodide under Node")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        bundle = build_runtime(folder / "bundle")
        bundle.stdlib.unlink()  # observe on the full library
        cases = folder / "cases.json"
        cases.write_text(json.dumps([[cid, text] for _, cid, text in all_cases()]), "utf-8")
        script = ROOT / "tests" / "parity" / "run_pyodide.mjs"
        args = [node, str(script), str(RUNTIME), str(bundle.folder), str(cases), "--modules"]
        result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=300)
        if result.returncode != 0:
            raise WheelError(f"observing the imports failed:\n{result.stderr}")
    major, minor = runtime_python()
    mount = STDLIB_MOUNT.format(major=major, minor=minor)
    modules = json.loads(result.stdout)["modules"]
    return sorted(name.removeprefix(mount) for name in modules if name.startswith(mount))


def main() -> int:
    """`python -m build_tools.wheel [OUT]`: build the bundle alone (for inspection).

    `--observe-stdlib` prints calculators_stdlib.txt anew (see its header).
    """
    if sys.argv[1:] == ["--observe-stdlib"]:
        try:
            files = observe_stdlib()
        except WheelError as exc:
            print(exc, file=sys.stderr)
            return 1
        header = [
            line for line in STDLIB_LIST.read_text("utf-8").splitlines() if line.startswith("#")
        ]
        print("\n".join([*header, *files]))
        return 0
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "runtime"
    try:
        bundle = build_runtime(out)
    except WheelError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{bundle.wheel} ({bundle.note})")
    print(bundle.lockfile)
    print(bundle.stdlib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
