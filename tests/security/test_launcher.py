"""The offline bundle's launcher serves site/ and nothing else, to this computer only.

Finding 9 of issue 14: serve.py listed folders, followed links out of the bundle, printed a
traceback for %00 in a path and answered any Host header (a page elsewhere could reach it
through a name of its own).
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools.bundle import OFFLINE_TEMPLATES


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """serve.py beside a small site/: a page, a folder without index, links out."""
    root = tmp_path_factory.mktemp("bundle")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("secret-marker")
    shutil.copy(OFFLINE_TEMPLATES / "serve.py", root / "serve.py")
    site = root / "site"
    (site / "folder").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Handbook</h1>")
    (site / "folder" / "page.txt").write_text("inside")
    (site / "link.txt").symlink_to(outside / "secret.txt")
    (site / "linked").symlink_to(outside)
    process = subprocess.Popen(
        [sys.executable, str(root / "serve.py"), "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stdout.readline())
    assert match
    yield int(match.group(1)), root
    process.terminate()
    _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr, stderr


def get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_pages_are_served_to_loopback_names(served: tuple[int, Path]) -> None:
    port, _ = served
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "LOCALHOST"):
        status, body = get(port, "/", host)
        assert (status, body) == (200, b"<h1>Handbook</h1>")
    assert get(port, "/folder/page.txt") == (200, b"inside")


@pytest.mark.parametrize(
    "host", ["evil.example", f"evil.example:{0}", "127.0.0.1.evil.example", "", "localhost:x"]
)
def test_any_other_host_header_is_refused(served: tuple[int, Path], host: str) -> None:
    port, _ = served
    status, body = get(port, "/", host)
    assert status == 400
    assert b"Handbook" not in body


def test_a_folder_is_never_listed(served: tuple[int, Path]) -> None:
    port, _ = served
    status, body = get(port, "/folder/")
    assert status == 404
    assert b"page.txt" not in body


@pytest.mark.parametrize("path", ["/link.txt", "/linked/secret.txt", "/linked/"])
def test_links_out_of_the_bundle_are_not_followed(served: tuple[int, Path], path: str) -> None:
    port, _ = served
    status, body = get(port, path)
    assert status == 404
    assert b"secret-marker" not in body


@pytest.mark.parametrize(
    "path", ["/index.html%00", "/%00", "/index%2", "/%ff%fe", "/a\\..\\index.html", "/%0a"]
)
def test_a_malformed_path_is_a_400_not_a_traceback(served: tuple[int, Path], path: str) -> None:
    port, _ = served
    status, _ = get(port, path)
    assert status == 400
