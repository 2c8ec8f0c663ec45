"""Dependencies are pinned, hashed, and the pins agree everywhere they are written."""

from __future__ import annotations

import json
import re
import tomllib

from tests.conftest import ROOT


def lock_pins() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    pins = {}
    for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", text, re.MULTILINE):
        pins[name.lower().replace("_", "-")] = version
    return pins


def test_every_direct_python_dependency_is_pinned_exactly_and_locked() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = lock_pins()
    drift = []
    for spec in project["dependencies"]:
        name, sep, version = spec.partition("==")
        assert sep, f"{spec!r} is not pinned with =="
        key = re.sub(r"[-_.]+", "-", name.lower())  # PEP 503 names: fhir.resources → fhir-resources
        if locked.get(key) != version:
            drift.append(f"{name}: pyproject {version}, lock {locked.get(key)}")
    assert drift == [], "run `make lock`"


def test_every_locked_requirement_carries_a_hash() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", (ROOT / "requirements.lock").read_text())
    unhashed = [
        b.split()[0] for b in blocks if "==" in b.split("\n")[0] and "--hash=sha256:" not in b
    ]
    assert unhashed == []


def test_npm_dependencies_are_exact_and_locked_with_integrity() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version} is not exact"
        locked = lock["packages"][f"node_modules/{name}"]
        assert locked["version"] == version
        assert locked["integrity"].startswith("sha512-")
    assert all("integrity" in meta for path, meta in lock["packages"].items() if path)
