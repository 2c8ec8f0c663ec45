"""The handbook fetches nothing: WeasyPrint reads only the print templates and the fonts.

Finding 3 of issue 14: an image in content made the handbook build request a URL and embed
a local file. Content can no longer hold an image (tests/security/test_content_attacks.py);
here, whatever reaches the layout engine, nothing outside the build's own files is read.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_tools import handbook

PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def page(body: str) -> str:
    return f"<html><head><style>{handbook.font_face_css(handbook.find_font_dir())}</style>" \
        f"</head><body><p>Text</p>{body}</body></html>"  # fmt: skip


@pytest.mark.slow
def test_a_remote_image_is_refused_and_never_requested(
    server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, requests = server
    for markup in (
        f'<img src="{base}/track.png">',
        f'<link rel="stylesheet" href="{base}/x.css">',
        f'<div style="background: url({base}/bg.png)">x</div>',
    ):
        with pytest.raises(handbook.HandbookError, match="may use only its own files"):
            handbook.write_pdf(page(markup), tmp_path / "book.pdf")
    assert requests == []
    assert not (tmp_path / "book.pdf").exists()


@pytest.mark.slow
def test_a_local_file_outside_the_build_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    for src in (secret.as_uri(), str(secret), "file:///etc/passwd", "../../../../etc/passwd"):
        with pytest.raises(handbook.HandbookError, match="may use only its own files"):
            handbook.write_pdf(page(f'<img src="{src}">'), tmp_path / "book.pdf")


@pytest.mark.slow
def test_the_build_s_own_files_and_inline_data_are_served(tmp_path: Path) -> None:
    pages, reused = handbook.write_pdf(page(f'<img src="{PNG}">'), tmp_path / "book.pdf")
    assert (pages, reused) == (1, False)
