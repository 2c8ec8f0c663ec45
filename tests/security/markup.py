"""What a rendered piece of content may contain, checked on the parsed HTML tree.

Shared by the prose, page and bundle tests: an element attribute that runs script, a
script URL, or a style attribute is never something content put there.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import markdown
import yaml

ROOT = Path(__file__).resolve().parents[2]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


@cache
def site_markdown_config() -> tuple[list[Any], dict[str, Any]]:
    """The Markdown extensions mkdocs.yml configures, as Python-Markdown takes them."""

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    names: list[Any] = []
    options: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, opts), *_ = item.items()
            if name == "pymdownx.snippets":
                continue  # reads files the test has not made; not a content path
            names.append(name)
            options[name] = opts or {}
        else:
            names.append(item)
    return names, options


def site_html(text: str) -> str:
    """Markdown as the site's MkDocs would convert it (same extensions)."""
    names, options = site_markdown_config()
    return str(markdown.Markdown(extensions=names, extension_configs=options).convert(text))


def canonical(html: str) -> str:
    """An HTML fragment as a browser reads it (character references decoded)."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return lxml.html.tostring(tree, encoding="unicode")[len("<div>") : -len("</div>")]


def offences(html: str) -> Iterator[str]:
    """Every event handler, script URL and style attribute in an HTML fragment or page."""
    if not html.strip():
        return
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                yield f"<{element.tag} {name}=…> (event handler)"
            if lowered == "style":
                yield f"<{element.tag} style={value!r}>"
            if lowered in URL_ATTRIBUTES:
                squeezed = "".join(value.split()).lower()
                if squeezed.startswith(SCRIPT_SCHEMES):
                    yield f"<{element.tag} {name}={value!r}> (script URL)"
        if element.tag in ("script", "iframe", "object", "embed", "img", "style", "form"):
            yield f"<{element.tag}> element"
