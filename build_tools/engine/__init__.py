"""The engine adapter: everything that knows the site is built by MkDocs (and its theme).

The rest of the build wing produces a docs folder of Markdown, a publisher-neutral
navigation and the files around them; this package turns them into a site:

- `runner`: `build()`, `serve()` and the offline copy's build, as the command line and the
  offline bundle call them (MkDocs runs as a child process with the build's Settings);
- `hooks`: the module `mkdocs.yml` names, MkDocs' single way into the adapter; it holds the
  process's Session (which owns the BuildContext) and forwards each event;
- `serving`, `fastpath`, `watch`, `errors`, `livereload`: the generator inside MkDocs, the
  incremental `serve` path and its search index, the watcher, the page of problems a failed
  rebuild shows, MkDocs' reload script made one the pages' policy allows;
- `engineconfig`: the engine configuration written from the generator's navigation;
- `internals`: every MkDocs, theme and watcher internal relied on, each checked before use
  with the safe path taken (and said once) without it.

A change of engine replaces this package; see build_tools/DECISIONS.md.
"""
