"""The adapter's single entry point inside MkDocs: the hooks file `mkdocs.yml` names.

MkDocs calls module functions, so this module holds the one module-level reference the
adapter has, `SESSION`: the process's Session, which owns its BuildContext (created once,
here, from the environment the command line handed down with `Settings.environment()`).
Every function below only forwards an event to the part of the adapter whose job it is:

- `serving`: the generator before MkDocs collects files; what a served site adds after;
- `fastpath`: the incremental `serve --dirty` path and the search index it completes;
- `watch`: what the server watches, and which content files an edit touched;
- `errors`: the page of problems a failed rebuild shows instead of holding requests, and
  (through `livereload`) served pages whose reload script their policy allows;
- `build_tools.csp`: the Content-Security-Policy, a pass over the pages each build wrote.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Final

# MkDocs loads hooks by file path; make the project importable as a package.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from build_tools import csp
from build_tools.context import BuildContext
from build_tools.engine import errors, fastpath, internals, serving, watch
from build_tools.engine.session import Session

SESSION: Final = Session(BuildContext.create())
"""The adapter's state for this MkDocs process: the one module-level reference it keeps."""


class DirtyNotice(logging.Filter):
    """Drop MkDocs' warning that dirty builds are inaccurate: the fast path makes them
    accurate, and under `strict` the warning would abort every build."""

    def __init__(self, worded_as_known: bool) -> None:
        super().__init__()
        self.worded_as_known = worded_as_known

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.worded_as_known:
            return not message.startswith(internals.DIRTY_NOTICE_TEXT)
        return not (record.levelno == logging.WARNING and "dirty" in message.lower())


def on_startup(command: str, dirty: bool) -> None:
    SESSION.serving = command == "serve"
    SESSION.dirty = SESSION.serving and dirty
    if SESSION.dirty:
        known = internals.dirty_notice_worded_as_known()
        if not known:
            SESSION.fallbacks.missing(internals.DIRTY_NOTICE)
        logging.getLogger("mkdocs.commands.build").addFilter(DirtyNotice(known))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    serving.generate(SESSION, config)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    fastpath.on_files(SESSION, files)
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    fastpath.on_nav(SESSION, config, files)
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return fastpath.on_page_markdown(SESSION, markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return fastpath.on_page_content(SESSION, html, page, files)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    fastpath.on_env(SESSION, files)
    return env


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    fastpath.on_page_context(SESSION, page, config)
    return context


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    watch.watch(SESSION, server, config)
    errors.guard(SESSION, server)
    return server


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    fastpath.on_post_page(SESSION, page, config)
    return output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Pages MkDocs renders from a template of their own (404.html) get the policy too."""
    if template_name.endswith(".html"):
        SESSION.written.append(str(Path(config.site_dir) / template_name))
    return output_content


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config: MkDocsConfig) -> None:
    """Finish a served site; then the Content-Security-Policy, a pass over the output tree:
    every page of a build, the pages a dirty rebuild wrote (and any a failed one left)."""
    if SESSION.serving:
        serving.finish_served(SESSION, config)
    site = Path(config.site_dir)
    csp.apply_tree(site, SESSION.written if SESSION.dirty else None)
    SESSION.written = []
