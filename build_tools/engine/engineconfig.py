"""Writing the engine's configuration from what the generator produced.

The generator hands back a publisher-neutral navigation (a list of `{title: path}` and
`{section: [...]}` items) and writes pages into the docs folder of the build's settings;
this module is where that becomes MkDocs configuration: `nav`, `docs_dir`, the snippets
folder and, for a build for publishing, `site_url`. The offline bundle's configuration (the
site's own, changed where file:// needs it) is written here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import yaml

from build_tools import siteurl
from build_tools.context import Settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

CONFIG_NAME: Final = "mkdocs.yml"

# Theme features that need a server: instant navigation fetches pages and the sitemap with
# XHR, which file:// refuses. Without them every link is an ordinary page load.
SERVER_ONLY_FEATURES: Final = ("navigation.instant", "navigation.instant.progress")


class EngineConfigError(RuntimeError):
    """The configuration file cannot be read as plain YAML."""


def apply_generated(
    config: MkDocsConfig, settings: Settings, nav: list[Any], publishing: bool
) -> None:
    """Point MkDocs at the generated pages and give it their navigation."""
    config["nav"] = nav
    if publishing and settings.site_url:
        # A build for publishing: the public address (checked by `build_tools build`) for
        # canonical links, the sitemap and instant navigation. `serve` keeps its own address.
        config["site_url"] = siteurl.normalise(settings.site_url)
    # The pages are wherever this process's generator wrote them (Settings.build).
    config["docs_dir"] = str(settings.docs)
    snippets = config["mdx_configs"].get("pymdownx.snippets")
    if snippets is not None:
        snippets["base_path"] = [str(settings.snippets)]


def offline_config(
    site_dir: Path, source: Path, shim: str, polyfill_extra: dict[str, Any]
) -> dict[str, Any]:
    """The site's MkDocs configuration, changed only where file:// needs it.

    Paths are made absolute because the generated file lives in a temporary folder. `shim`
    is the site path of the local iframe-worker shim (mkdocs-material's `offline` plugin
    adds unpkg's only when no polyfill names iframe-worker); `polyfill_extra` is merged into
    `extra` (e.g. the flag that leaves the footer's link to the bundle out).
    """
    try:
        config: dict[str, Any] = yaml.safe_load(source.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise EngineConfigError(f"{source}: cannot read it as plain YAML ({exc})") from None
    root = source.parent

    def absolute(path: str) -> str:
        return str((root / path).resolve())

    config["docs_dir"] = absolute(config.get("docs_dir", "docs"))
    config["site_dir"] = str(site_dir)
    config["use_directory_urls"] = False
    config["hooks"] = [absolute(h) for h in config.get("hooks", [])]
    theme = config.setdefault("theme", {})
    if "custom_dir" in theme:
        theme["custom_dir"] = absolute(theme["custom_dir"])
    theme["features"] = [f for f in theme.get("features", []) if f not in SERVER_ONLY_FEATURES]
    for ext in config.get("markdown_extensions", []):
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            options = ext["pymdownx.snippets"]
            options["base_path"] = [absolute(p) for p in options.get("base_path", [])]
    plugins = list(config.get("plugins", ["search"]))
    plugins.append({"offline": {"enabled": True}})
    config["plugins"] = plugins
    extra = config.setdefault("extra", {})
    extra["polyfills"] = [shim]
    extra.update(polyfill_extra)
    return config
