"""`make serve` rebuilds only what an edit touched, and serves what a clean build would.

MkDocs' own dirty mode leaves stale navigation and a search index of the rebuilt pages
only; the engine adapter (build_tools.engine) completes it. This runs the real
`mkdocs serve --dirty`, makes the edits an author makes, and compares every served page and
the search index with a clean `mkdocs build` of the edited content, byte for byte.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

SERVE = ("mkdocs", "serve", "--livereload", "--dirty")  # as the Makefile runs it
# MkDocs adds its reload script to every served page (moved by the adapter to a same-origin
# file the page's policy allows), and serves under its own address.
LIVERELOAD = re.compile(
    r'<script src="/\.guideline-serve/livereload\.js" data-epoch="\d+" data-request="\d+">'
    r"</script>(?=</body>)"
)
CONFIGURED_URL = "http://127.0.0.1:8000/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return str(response.read().decode())


def fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return bytes(response.read())


def wait_for(url: str, marker: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if marker in fetch(url):
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{marker!r} never appeared at {url}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_served_site_after_edits_equals_a_clean_build(content: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GUIDELINE_CONTENT": str(content),
        "GUIDELINE_BUILD": str(tmp_path / "build"),  # not the folder a developer serves
        "NO_MKDOCS_2_WARNING": "1",
    }
    (ROOT / "build" / "docs").mkdir(parents=True, exist_ok=True)  # mkdocs.yml names it
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", *SERVE, "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    ivig = base + "therapies/ivig/"
    try:
        wait_for(ivig, "Intravenous immunoglobulin")
        # A body edit (one page), a title edit (every page's navigation), a citation that
        # renumbers references on other pages, and a tooltip every page carries.
        edit(content / "entries/ivig.yaml", "was higher with IVIg", "was higher (edit 1) with IVIg")
        wait_for(ivig, "edit 1")
        edit(content / "entries/ivig.yaml", "title: Intravenous immunoglobulin", "title: IV Ig")
        wait_for(base + "therapies/rituximab/", "IV Ig")
        edit(
            content / "entries/ivig.yaml",
            "randomised trial [@aggarwal-2022-trial].",
            "randomised trial (edit 3) [@oddis-2013-rituximab; @aggarwal-2022-trial].",
        )
        wait_for(ivig, "edit 3")
        edit(content / "glossary.yaml", "interstitial lung disease", "lung disease (fourth edit)")
        wait_for(base + "glossary/", "fourth edit")
        rebuilds = wait_for_rebuilds(tmp_path / "serve.log", 5)
        # The first build, then one rebuild an edit: the generated files are not watched.
        assert [kind for kind, _ in rebuilds] == [
            "full",
            "incremental",
            "full",
            "incremental",
            "full",
        ]
        clean = clean_site(tmp_path / "clean", env)
        pages = sorted(p.relative_to(clean) for p in clean.rglob("index.html"))
        assert len(pages) > 10
        for rel in [*pages, Path("search/search_index.json")]:
            url = base + rel.as_posix().removesuffix("index.html")
            served = LIVERELOAD.sub("", fetch(url)).replace(base, CONFIGURED_URL)
            assert served == (clean / rel).read_text(), f"{rel} differs from a clean build"
        # The export is written beside the build, on a thread of its own: it catches up.
        expected = (clean / "guideline.json").read_bytes()
        deadline = time.monotonic() + 30
        while fetch_bytes(base + "guideline.json") != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert fetch_bytes(base + "guideline.json") == expected
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    time.sleep(1)
    assert rebuilds_logged(tmp_path / "serve.log") == rebuilds  # and nothing rebuilt since
    assert rebuilds[1] == ("incremental", "1")  # the body edit rebuilt its page alone
    # The watcher told the generator which file the body edit changed: it looked at that
    # entry alone. The other edits change what other pages show, so every page was checked.
    assert SCOPE.findall((tmp_path / "serve.log").read_text()) == [
        "every page checked",
        "edited entries only",
        "every page checked",
        "every page checked",
        "every page checked",
    ]


SCOPE = re.compile(r"guideline: \w+ rebuild of .*\(share [\d.]+; ([^)]+)\)")


REBUILD = re.compile(r"guideline: (\w+) rebuild of (\d+) page")


def rebuilds_logged(log: Path) -> list[tuple[str, str]]:
    return REBUILD.findall(log.read_text())


def wait_for_rebuilds(log: Path, count: int, timeout: float = 120) -> list[tuple[str, str]]:
    deadline = time.monotonic() + timeout
    while len(found := rebuilds_logged(log)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def clean_site(target: Path, env: dict[str, str]) -> Path:
    """A clean `mkdocs build` of the same content.

    It runs while the server still serves: it regenerates identical files, so it writes
    nothing the server would notice.
    """
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return target


def test_serving_stops_with_a_message_when_calculators_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages come from the calculators the server imported; new code under old forms is refused."""
    from mkdocs.exceptions import Abort

    from build_tools.context import BuildContext, CalculatorCatalog, Settings
    from build_tools.engine import serving
    from build_tools.engine.session import Session

    digests = iter(["before", "before", "after"])
    monkeypatch.setattr(serving, "calculators_digest", lambda session: next(digests))
    session = Session(BuildContext.create(Settings(), CalculatorCatalog()), serving=True)
    serving.refuse_changed_calculators(session)
    serving.refuse_changed_calculators(session)
    with pytest.raises(Abort, match="calculators/ changed while serving: restart `make serve`"):
        serving.refuse_changed_calculators(session)


def test_large_folders_are_polled_less_often_so_polling_stays_a_tenth_of_the_time(
    tmp_path: Path,
) -> None:
    from build_tools.engine.watch import poll_interval

    for i in range(40):
        (tmp_path / f"{i}.yaml").touch()
    assert poll_interval(tmp_path) == 0.1  # today's content: every tenth of a second
    for i in range(40, 3900):
        (tmp_path / f"{i}.yaml").touch()
    assert poll_interval(tmp_path) == pytest.approx(0.312)  # a hundred times as many files
    for i in range(3900, 8000):
        (tmp_path / f"{i}.yaml").touch()
    assert poll_interval(tmp_path) == 0.5  # never slower than MkDocs' own default


def test_an_export_that_cannot_be_written_is_reported_where_the_author_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from build_tools.engine import serving

    messages: list[str] = []
    monkeypatch.setattr(serving.log, "error", lambda *args: messages.append(args[0] % args[1:]))
    not_a_folder = tmp_path / "site"
    not_a_folder.write_text("")
    serving.export_or_log(not_a_folder / "guideline.json", [b"{}"])
    assert len(messages) == 1
    assert messages[0].startswith(f"guideline: could not write {not_a_folder / 'guideline.json'}")


def test_the_watcher_reports_changed_files_and_gives_up_on_changed_folders(
    tmp_path: Path,
) -> None:
    """What `make serve` tells the generator: every file the watcher saw change, once."""
    from watchdog.events import (
        DirCreatedEvent,
        DirModifiedEvent,
        FileModifiedEvent,
        FileMovedEvent,
    )
    from watchdog.observers.polling import PollingObserver

    from build_tools.engine.watch import ContentChanges

    observer = PollingObserver(timeout=0.05)
    changes = ContentChanges(observer)
    observer.schedule(changes, str(tmp_path), recursive=True)
    observer.start()
    try:
        assert changes.take() == set()
        changes.dispatch(FileModifiedEvent(str(tmp_path / "a.yaml")))
        changes.dispatch(DirModifiedEvent(str(tmp_path)))  # its files have their own events
        changes.dispatch(FileMovedEvent(str(tmp_path / ".a.yaml.tmp"), str(tmp_path / "b.yaml")))
        assert changes.take() == {str(tmp_path / n) for n in ("a.yaml", ".a.yaml.tmp", "b.yaml")}
        assert changes.take() == set()  # each change is reported once
        changes.dispatch(DirCreatedEvent(str(tmp_path / "entries")))
        assert changes.take() is None  # not known: the generator reads every file
        (tmp_path / "c.yaml").write_text("x")  # through the real observer
        deadline = time.monotonic() + 10
        seen: set[str] = set()
        while str(tmp_path / "c.yaml") not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
            seen |= changes.take() or set()
        assert str(tmp_path / "c.yaml") in seen
    finally:
        observer.stop()
        observer.join()
    assert changes.take() is None  # a stopped observer reports nothing it can vouch for


def fetch_status(url: str) -> tuple[int, str]:
    """The status and body of a page, errors included (urllib raises on them)."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return int(response.status), str(response.read().decode())
    except urllib.error.HTTPError as error:
        return int(error.code), str(error.read().decode())


def test_a_content_error_shows_its_problems_and_the_page_returns_once_fixed(
    content: Path, tmp_path: Path
) -> None:
    """A broken entry no longer holds every request: each page lists the problems (file,
    line, key) and reloads itself, through a script the page's policy allows, once fixed."""
    from build_tools.csp import policy_for
    from build_tools.engine.errors import STATUS_PATH

    env = {
        **os.environ,
        "GUIDELINE_CONTENT": str(content),
        "GUIDELINE_BUILD": str(tmp_path / "build"),
        "NO_MKDOCS_2_WARNING": "1",
    }
    (ROOT / "build" / "docs").mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", *SERVE, "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    ivig = base + "therapies/ivig/"
    entry = content / "entries/ivig.yaml"
    good = entry.read_text()
    try:
        wait_for(ivig, "Intravenous immunoglobulin")
        entry.write_text(
            good.replace("route: IV", "route: iv").replace("study_type: rct", "study_type: trial")
        )
        deadline = time.monotonic() + 120
        while (answer := fetch_status(ivig))[0] != 503 and time.monotonic() < deadline:
            time.sleep(0.2)
        code, page = answer
        assert code == 503
        assert "2 content problems: the site was not rebuilt" in page
        assert "content/entries/ivig.yaml:14:5" in page
        assert "regimens[0].route" in page
        assert "content/entries/ivig.yaml:22:5" in page
        assert "evidence[0].study_type" in page
        # Its one script is allowed by hash, as the site's own are; nothing unsafe-inline.
        assert f'content="{policy_for(page)}"' in page
        assert "'unsafe-inline'" not in policy_for(page).split("script-src")[1].split(";")[0]
        assert fetch_status(base + "therapies/")[0] == 503  # every page, not just the edited one
        status = json.loads(fetch(base + STATUS_PATH.lstrip("/")))
        assert status["failed"]
        assert not status["building"]
        entry.write_text(good)
        wait_for(ivig, "Intravenous immunoglobulin")
        code, page = fetch_status(ivig)
        assert code == 200
        assert not json.loads(fetch(base + STATUS_PATH.lstrip("/")))["failed"]
        # The page's own reload script is one its policy allows: served from the site itself.
        assert LIVERELOAD.search(page)
        assert "var livereload" not in page
        assert "location.reload()" in fetch(base + ".guideline-serve/livereload.js")
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_mkdocs_reload_script_becomes_one_the_pages_policy_allows(tmp_path: Path) -> None:
    """MkDocs writes its reload script inline, which the page's policy blocks; the adapter
    serves the same code from the site (script-src 'self'), the page otherwise unchanged."""
    from mkdocs.livereload import LiveReloadServer

    from build_tools.engine import internals, livereload

    assert internals.livereload_script()  # MkDocs 1.6 as installed
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        page = b"<html><body><p>page</p></body></html>"
        injected = server._inject_js_into_html(page, 1234)
    finally:
        server.server_close()
    moved = livereload.external(injected)
    assert b"var livereload" not in moved
    assert LIVERELOAD.sub("", moved.decode()) == page.decode()
    assert 'data-epoch="1234"' in moved.decode()
