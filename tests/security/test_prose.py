"""Content prose is a small language: what it may say renders, anything else is an error.

The attacks are the ones a hostile-input review reproduced against the site, the offline
bundle and the handbook (issue 14): each is now an error at its line and column, or text.
"""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from build_tools import prose
from build_tools.citer import _Markdown
from build_tools.render import cite_text, number_marks, plain
from tests.security.markup import canonical, offences, site_html


def marks(keys: object) -> Markup:
    keys = list(keys)  # type: ignore[call-overload]
    if not keys:
        return Markup("")
    return Markup('<sup class="cite">' + ",".join(f"[{k}]" for k in keys) + "</sup>")


def rendered(text: str) -> str:
    return site_html(cite_text(text, [], marks))


# --- what the language says ------------------------------------------------------------------


def test_paragraphs_lists_emphasis_citations_and_links_parse_to_a_structure() -> None:
    text = (
        "**Definition.** A *refractory* case [@huang-pye-2024; @oddis-2013].\n\n"
        "- first item\n  continued\n- see [the trial](https://example.org/t?id=1#x)"
    )
    assert prose.parse(text) == (
        prose.Paragraph(
            (
                prose.Emphasis((prose.Text("Definition."),), strong=True),
                prose.Text(" A "),
                prose.Emphasis((prose.Text("refractory"),), strong=False),
                prose.Text(" case "),
                prose.Citation(("huang-pye-2024", "oddis-2013")),
                prose.Text("."),
            )
        ),
        prose.BulletList(
            (
                (prose.Text("first item\n  continued"),),
                (
                    prose.Text("see "),
                    prose.Link("https://example.org/t?id=1#x", (prose.Text("the trial"),)),
                ),
            )
        ),
    )


def test_the_site_renders_the_structure_and_nothing_else() -> None:
    html = canonical(rendered("A *b* **c** [d](https://e.example/) p < 0.05 & [M] 2 * 3"))
    assert html == (
        '<p>A <em>b</em> <strong>c</strong> <a href="https://e.example/">d</a> '
        "p &lt; 0.05 &amp; [M] 2 * 3</p>"
    )


def test_markdown_characters_in_text_stay_text() -> None:
    html = canonical(
        rendered("# not a heading\n1. not a list\n> not a quote\n    not code `x` \\* _y_ |")
    )
    for element in ("<h1", "<ol", "<blockquote", "<code", "<em", "<pre"):
        assert element not in html
    assert "# not a heading" in html
    assert "`x` \\* _y_ |" in html


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        # Finding 1: forged citation marks (control characters) become an attribute list.
        (
            "Start \x02huang-pye-2024\x1fx autofocus=1 onfocus=alert(document.domain)\x03",
            1,
            7,
            "control character U+0002",
        ),
        # Finding 2: a script link split by a line break.
        ("[click me](java\nscript:alert(2))", 1, 12, "is not allowed"),
        ("[x](https://a.example/\nb)", 1, 5, "holds characters a link cannot have"),
        ("[click me](javascript:alert(2))", 1, 12, "is not allowed"),
        ("[x](JaVaScRiPt:alert(1))", 1, 5, "is not allowed"),
        ("[x](data:text/html,<script>)", 1, 5, "is not allowed"),
        ("[x](/etc/passwd)", 1, 5, "is not allowed"),
        ("[x](https://)", 1, 5, "has no host"),
        # Finding 3: images (remote, file://) in content.
        ("see ![x](http://127.0.0.1:8799/track.png)", 1, 5, "images are not allowed"),
        ("![y](file:///etc/secret.png)", 1, 1, "images are not allowed"),
        # Finding 4: attribute lists.
        (
            "[x](https://a.example){: style=position:fixed;top:0 }",
            1,
            23,
            "attribute lists are not allowed",
        ),
        ("text\n{: onclick=alert(1) }", 2, 1, "attribute lists are not allowed"),
        ("<img src=x onerror=alert(1)>", 1, 1, "raw HTML"),
        ("a\n\nb </script>", 3, 3, "raw HTML"),
        ("[@Huang-Pye]", 1, 1, "malformed citation"),
        ("[@a;b]", 1, 1, "malformed citation"),
        ("an *open emphasis", 1, 4, "never closed"),
        ("a [label](https://x.example", 1, 10, "never closed"),
        ("a\u202eb", 1, 2, "U+202E"),
        ("a\rb", 1, 2, "U+000D"),
    ],
)
def test_what_the_language_does_not_have_is_an_error_at_its_place(
    text: str, line: int, column: int, reason: str
) -> None:
    with pytest.raises(prose.ProseError) as info:
        prose.parse(text)
    assert (info.value.line, info.value.column) == (line, column)
    assert reason in str(info.value)


def test_plain_text_is_never_markup() -> None:
    title = "[x](javascript:alert(1)){: onclick=alert(1) } <b>*y*</b> # z"
    html = canonical(site_html(f"# {plain(title)}\n\n- {plain(title)}"))
    assert list(offences(html)) == []
    assert html.count("[x](javascript:alert(1)){: onclick=alert(1) } &lt;b&gt;*y*&lt;/b&gt;") == 2


def test_citation_marks_cannot_be_forged_and_an_unknown_key_is_an_error() -> None:
    from build_tools.diagnostics import ContentError

    forged = "\x02huang-pye-2024\x1fx autofocus=1 onfocus=alert(1)\x03"
    with pytest.raises(ContentError, match="malformed citation mark"):
        number_marks(forged, "a.md", {"huang-pye-2024": 1}, {"huang-pye-2024": "t"})
    with pytest.raises(ContentError, match="unknown reference key 'nobody'"):
        number_marks("\x02nobody\x1fcite-1\x03", "a.md", {}, {})


# --- the fuzz test ---------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "[", "]", "(", ")", "{", "}", "{:", "<", ">", "&", "&#106;", "&#x6A;", "&lt;", "\n",
        "\n\n", "- ", "*", "**", "_", "`", "\\", "!", "#", "|", ":", ";", "=", '"', "'", " ",
        "@", "[@", "[@huang-pye-2024]", "javascript:", "java\nscript:", "JaVaScRiPt:",
        "vbscript:", "data:text/html,", "https://", "http://a.example", "mailto:a@b.example",
        "onclick=", " onfocus=alert(1) ", "autofocus", "style=", "position:fixed", "alert(1)",
        "<script>", "<img src=x onerror=alert(1)>", "\x02", "\x03", "\x1f", "\x00", "\t",
        "\u202e", "\u2028", "x", "text", "1. ", "    ", "!!! note", "--8<--", "*[x]: y",
    ]
)  # fmt: skip
PROSE = st.lists(PIECES | st.text(max_size=3), max_size=24).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROSE)
def test_fuzzed_prose_is_refused_or_renders_inert(text: str) -> None:
    """No event handler, script URL or style attribute, on the site or in the handbook."""
    try:
        prose.parse(text)
    except prose.ProseError:
        return  # refused, with its place: fails safe
    markdown_text = cite_text(text, ["oddis-2013"], marks)
    assert list(offences(site_html(markdown_text))) == []
    assert list(offences(_Markdown().block(markdown_text))) == []


@settings(max_examples=300, deadline=None)
@given(PROSE)
def test_fuzzed_plain_text_renders_inert(text: str) -> None:
    value = plain(text)
    for where in (f"{value}", f"# {value}", f"- {value}", f"| a |\n|---|\n| {value} |"):
        assert list(offences(site_html(where))) == []


# --- links to other entries ------------------------------------------------------------------


def test_a_link_to_an_entry_is_placed_by_the_publisher() -> None:
    text = "See [the IVIg page](entry:ivig) and **[rituximab](entry:rituximab)**."
    blocks = prose.parse(text)
    assert prose.linked_entries(blocks) == ["ivig", "rituximab"]
    site = cite_text(text, [], marks, lambda entry_id: f"../therapies/{entry_id}.md")
    assert canonical(site_html(site)) == (
        '<p>See <a href="../therapies/ivig.md">the IVIg page</a> and '
        '<strong><a href="../therapies/rituximab.md">rituximab</a></strong>.</p>'
    )
    book = _Markdown().inline(cite_text(text, [], marks, lambda entry_id: f"#entry-{entry_id}"))
    assert '<a href="#entry-ivig">the IVIg page</a>' in book


@pytest.mark.parametrize("target", ["entry:", "entry:IVIG", "entry:a/b", "entry://ivig"])
def test_an_entry_link_names_an_entry_id(target: str) -> None:
    with pytest.raises(prose.ProseError, match="write entry:<id>"):
        prose.parse(f"[x]({target})")


@pytest.mark.parametrize(
    "text",
    ["*a **b " * 3000, "[" * 20_000, "[x](" * 5000, "]" * 10_000 + "[" * 10_000, "**x*" * 5000],
)
def test_long_hostile_prose_is_parsed_in_linear_time_without_deep_recursion(text: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(prose.ProseError):
        prose.parse(text)
    assert time.perf_counter() - started < 5  # quadratic scanning took ~10 s for these
