"""The build context: what a build depends on, created once and passed down.

A function of the build wing takes what it needs from here as a parameter, so its signature
says what it depends on. Three parts:

- `Settings`: every path and flag of a build, frozen. Environment variables are read in
  exactly one place, `Settings.from_environment`, and written back only for a child
  process (`Settings.environment`), e.g. the `mkdocs build` the engine adapter starts.
- `CalculatorCatalog`: what the content layer needs to know of the calculators (ids, titles,
  the references each cites), so the content layer never imports the calculator registry.
- `BuildContext`: the settings, the catalog, the content store (`build_tools.store`: the one
  documented place for the identity rule of unchanged files) and the render memos
  (`build_tools.memos`), which live as long as the context, i.e. a `make serve` session or
  one build.

No module of the build wing keeps mutable state of its own outside a context
(`tests/engine/test_architecture.py` greps for it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from build_tools.memos import RenderMemos
from build_tools.store import ContentStore

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: where `content/`, `site_templates/` and `build/` are by default."""

# The environment variables a build reads, each named once.
CONTENT_ENV = "GUIDELINE_CONTENT"
"""Another content folder (tests build a site from a fixture corpus through the same path)."""
BUILD_ENV = "GUIDELINE_BUILD"
"""Where generated pages go: each `python -m build_tools build` has its own folder, so a build
never writes into the folder a running `make serve` reads, nor the other way round."""
SITE_URL_ENV = "SITE_URL"
"""The public address the site is published at (build_tools.siteurl checks it)."""
INCLUDE_UNVERIFIED_ENV = "GUIDELINE_INCLUDE_UNVERIFIED"
"""'1' shows unverified rules for review, marked on every occurrence (never for publication)."""
PAPER_ENV = "HANDBOOK_PAPER"
"""The handbook's paper size (a4, letter, or a6 for the pocket edition)."""
FONT_DIR_ENV = "HANDBOOK_FONT_DIR"
"""A folder holding the DejaVu fonts the handbook embeds, when not in a Debian place."""

DEFAULT_PAPER = "a4"


@dataclass(frozen=True)
class Settings:
    """Every path and flag of one build; nothing else decides where a build reads or writes."""

    root: Path = ROOT
    content: Path = ROOT / "content"
    templates: Path = ROOT / "site_templates"
    build: Path = ROOT / "build"
    cache_store: Path = ROOT / "build" / "cache"
    """Formatted references and compiled templates, keyed by content: shared by every build."""
    site_url: str = ""
    """The public address as given (checked by build_tools.siteurl); empty: the local server."""
    include_unverified: bool = False
    paper: str = DEFAULT_PAPER
    font_dir: Path | None = None

    @property
    def docs(self) -> Path:
        """The generated Markdown folder the engine reads."""
        return self.build / "docs"

    @property
    def snippets(self) -> Path:
        return self.build / "snippets"

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, root: Path = ROOT
    ) -> Settings:
        """The settings the environment asks for: the one place a build reads it."""
        env = os.environ if environ is None else environ
        font_dir = env.get(FONT_DIR_ENV, "").strip()
        return cls(
            root=root,
            content=Path(env.get(CONTENT_ENV, root / "content")).resolve(),
            templates=root / "site_templates",
            build=Path(env.get(BUILD_ENV, root / "build")).resolve(),
            cache_store=root / "build" / "cache",
            site_url=env.get(SITE_URL_ENV, "").strip(),
            include_unverified=env.get(INCLUDE_UNVERIFIED_ENV, "") == "1",
            paper=env.get(PAPER_ENV, DEFAULT_PAPER).strip().lower() or DEFAULT_PAPER,
            font_dir=Path(font_dir) if font_dir else None,
        )

    def environment(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """`base` (default: this process's environment) with these settings, for a child
        process that builds with them (`mkdocs build` reads them back through
        `from_environment` in the engine adapter)."""
        env = dict(os.environ if base is None else base)
        env[CONTENT_ENV] = str(self.content)
        env[BUILD_ENV] = str(self.build)
        env[PAPER_ENV] = self.paper
        for name, value in (
            (SITE_URL_ENV, self.site_url),
            (INCLUDE_UNVERIFIED_ENV, "1" if self.include_unverified else ""),
            (FONT_DIR_ENV, str(self.font_dir) if self.font_dir else ""),
        ):
            if value:
                env[name] = value
            else:
                env.pop(name, None)
        return env

    def but(self, **changes: object) -> Settings:
        """A copy with some settings changed (tests, a build into its own folder)."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CalculatorCatalog:
    """The calculators as the content layer and the planners see them.

    `present` is False when the calculators package is absent (a content-only checkout): then
    a content file naming a calculator is not checked against ids, as before.
    """

    present: bool = False
    titles: Mapping[str, str] = field(default_factory=dict)
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    edition: str = "draft"

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.titles)

    @classmethod
    def from_registry(cls) -> CalculatorCatalog:
        """The catalog of the installed calculators package, or an empty one without it."""
        try:
            from calculators import registry
            from calculators.edition import GUIDELINE_EDITION
        except ImportError:
            return cls()
        return cls(
            present=True,
            titles={cid: c.title for cid, c in registry.CALCULATORS.items()},
            references={cid: tuple(c.references) for cid, c in registry.CALCULATORS.items()},
            edition=GUIDELINE_EDITION,
        )

    @property
    def cited(self) -> frozenset[str]:
        """References the calculators cite: they count as cited, their pages show them."""
        return frozenset(r for refs in self.references.values() for r in refs)


@dataclass
class BuildContext:
    """One build's (or one `make serve` session's) settings and state, passed down."""

    settings: Settings
    calculators: CalculatorCatalog
    store: ContentStore = field(default_factory=ContentStore)
    memos: RenderMemos = field(default_factory=RenderMemos)

    @classmethod
    def create(
        cls, settings: Settings | None = None, calculators: CalculatorCatalog | None = None
    ) -> BuildContext:
        """The context the command line and the engine adapter start from.

        Its memos keep formatted references on disk, in the settings' cache store."""
        settings = settings if settings is not None else Settings.from_environment()
        return cls(
            settings=settings,
            calculators=(
                calculators if calculators is not None else CalculatorCatalog.from_registry()
            ),
            memos=RenderMemos.with_store(settings.cache_store),
        )
