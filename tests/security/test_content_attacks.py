"""Hostile content is a content error at path:line:column, never a traceback or a page.

Each case is a finding of the hostile-input review (issue 14), written into a copy of the
fixture corpus and loaded the way `check` and `build` load it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.context import CalculatorCatalog
from build_tools.diagnostics import ContentError
from build_tools.loader import load_content
from build_tools.store import ContentStore

IVIG = "entries/ivig.yaml"
SUMMARY = (
    "  text: IVIg 2 g/kg every 4 weeks improved dermatomyositis in a randomised trial "
    "[@aggarwal-2022-trial]."
)


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(ContentStore(), content, CalculatorCatalog.from_registry())
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_a_forged_citation_mark_is_refused_where_it_is_written(content: Path) -> None:
    edit(
        content / IVIG,
        SUMMARY,
        '  text: "Start \\x02aggarwal-2022-trial\\x1fx autofocus=1 onfocus=alert(1)\\x03 '
        'IVIg 2 g/kg [@aggarwal-2022-trial]."',
    )
    assert problems_of(content) == [
        "content/entries/ivig.yaml:9:9: summary.text: control character U+0002 is not "
        "allowed in content (character 7 of the text)"
    ]


def test_a_script_link_split_by_a_line_break_is_refused(content: Path) -> None:
    edit(
        content / IVIG,
        SUMMARY,
        '  text: "[click me](java\\nscript:alert(2)) IVIg 2 g/kg [@aggarwal-2022-trial]."',
    )
    (problem,) = problems_of(content)
    assert problem.startswith("content/entries/ivig.yaml:9:3: summary.text: link target ")
    assert problem.endswith(
        "is not allowed; links go to https:, http:, mailto: addresses, or to an entry as "
        "entry:<id> (line 1, column 12 of the text)"
    )


@pytest.mark.parametrize(
    "image", ["![x](http://127.0.0.1:8799/track.png)", "![y](file:///etc/secret.png)"]
)
def test_an_image_in_content_is_an_error_before_anything_is_fetched(
    content: Path, image: str
) -> None:
    edit(content / IVIG, SUMMARY, f"  text: '{image} IVIg 2 g/kg [@aggarwal-2022-trial].'")
    assert problems_of(content) == [
        "content/entries/ivig.yaml:9:3: summary.text: images are not allowed in content "
        "(line 1, column 1 of the text)"
    ]


def test_an_attribute_list_is_refused(content: Path) -> None:
    edit(
        content / IVIG,
        SUMMARY,
        "  text: '[x](https://a.example){: style=position:fixed;top:0;left:0 } IVIg 2 g/kg "
        "[@aggarwal-2022-trial].'",
    )
    assert problems_of(content) == [
        "content/entries/ivig.yaml:9:3: summary.text: braces are not part of content prose "
        "(attribute lists are not allowed) (line 1, column 23 of the text)"
    ]


def test_a_glossary_definition_cannot_add_markdown_to_every_page(content: Path) -> None:
    edit(
        content / "glossary.yaml",
        "definition: intravenous immunoglobulin}",
        'definition: "immunoglobulin\\n\\n# every page"}',
    )
    assert problems_of(content) == [
        "content/glossary.yaml:1:16: [0].definition: got 'immunoglobulin\\n\\n# every page' "
        "(one line of text: no line breaks)"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("true", "got True (expected a number)"),
        ('"50"', "got '50' (expected a number)"),
        ("1.0e-300", "value 1e-300 g/kg is outside the accepted range 0.0001–1,000,000 g/kg"),
        ("50000000", "value 5e+07 g/kg is outside the accepted range 0.0001–1,000,000 g/kg"),
        (".inf", "'.inf' is not a finite number; write the value as printed"),
        ("-.inf", "'-.inf' is not a finite number; write the value as printed"),
        (".nan", "'.nan' is not a finite number; write the value as printed"),
        ("1.0e+309", "'1.0e+309' is not a finite number; write the value as printed"),
        ("1e309", "got '1e309' (expected a number)"),
        ("9" * 5000, "a number with more than 15 digits is not a value content needs"),
    ],
)
def test_a_dose_is_a_plausible_number_or_an_error_at_its_place(
    content: Path, value: str, message: str
) -> None:
    edit(content / IVIG, "dose: {value: 2, unit: g/kg}", f"dose: {{value: {value}, unit: g/kg}}")
    (problem,) = problems_of(content)
    where, _, said = problem.partition(": regimens[0].dose")
    assert where.startswith("content/entries/ivig.yaml:15:")
    assert said.endswith(message)


def test_a_count_is_not_a_boolean(content: Path) -> None:
    edit(content / IVIG, "n: 95", "n: true")
    assert problems_of(content) == [
        "content/entries/ivig.yaml:23:5: evidence[0].n: got True (expected a number)"
    ]


def test_deep_nesting_is_a_content_error(content: Path) -> None:
    edit(content / IVIG, "synonyms: [IVIg, immunoglobulin]", "synonyms: " + "[" * 400 + "]" * 400)
    (problem,) = problems_of(content)
    assert problem.startswith("content/entries/ivig.yaml:4:")
    assert problem.endswith("YAML syntax: nested deeper than 40 levels")


def test_a_control_character_is_reported_where_it_is(content: Path) -> None:
    edit(
        content / IVIG, "title: Intravenous immunoglobulin", "title: Intravenous\x07 immunoglobulin"
    )
    (problem,) = problems_of(content)
    assert problem.startswith("content/entries/ivig.yaml:2:19: character U+0007 is not allowed")


def test_a_link_to_an_entry_must_name_one_that_exists(content: Path) -> None:
    edit(
        content / IVIG,
        SUMMARY,
        "  text: IVIg 2 g/kg, as [rituximab](entry:rituximab) is not, and [x](entry:nothing) "
        "[@aggarwal-2022-trial].",
    )
    assert problems_of(content) == [
        "content/entries/ivig.yaml:9:3: summary.text: unknown entry id 'nothing'"
    ]
