"""Validating parsed content against its model: every problem with its file, line and key.

Pydantic's errors name a location inside the data; this turns each into the position the
author wrote it at (build_tools.yamlsource keeps them) and a message in the authors' terms.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from build_tools import schema
from build_tools.corpus import Origin
from build_tools.diagnostics import Problems
from build_tools.store import ContentStore
from build_tools.yamlsource import Key, Located, key_name


def _format_error(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling against the content format page)"
    if kind in ("literal_error", "enum"):
        return f"got {shown} (expected one of: {ctx.get('expected', '')})"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == schema.ONE_LINE:
        return f"got {shown} (one line of text: no line breaks)"
    if kind == "string_pattern_mismatch":
        return f"got {shown} (expected text matching {ctx.get('pattern')})"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
        return f"got {shown} (expected a number)"
    if kind in ("string_type",):
        return f"got {shown} (expected text)"
    if kind in ("list_type",):
        return f"got {shown} (expected a list)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"got {shown} (expected a mapping of fields)"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    return f"{err['msg']} (got {shown})"


def _data_path(data: Any, loc: tuple[Any, ...]) -> Key:
    """Pydantic locations include union-member tags; keep only the parts present in the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and not part[:1].isupper()
            and ("[" not in part)
            and part not in ("function-after", "function-before")
        ):
            path.append(part)  # a missing or unknown key: point at its parent, name the key
            break
    return tuple(path)


def validate[M: BaseModel](
    model: type[M], data: Any, located: Located, key: Key, problems: Problems
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            sub = _data_path(data, tuple(err["loc"]))
            full = (*key, *sub)
            line, col = located.where(full)
            problems.add(located.path, line, col, key_name(full), _format_error(err))
        return None


def file_objects(
    store: ContentStore,
    located: Located,
    model: type[BaseModel],
    is_list: bool,
    problems: Problems,
) -> list[tuple[BaseModel, Origin]]:
    """A file's validated objects, with where each was read.

    Kept in the store with the parse they came from (the identity rule, build_tools.store):
    while a file's parse is the same object, so are its objects.
    """
    memo = store.validated.get(str(located.path))
    if memo is not None and memo[0] is located:
        return memo[1]
    before = len(problems)
    items: list[tuple[BaseModel, Origin]] = []
    if is_list:
        if not isinstance(located.data, list):
            problems.add(located.path, 1, 1, "", "expected a list of items at the top level")
            return []
        for i, item in enumerate(located.data):
            obj = validate(model, item, located, (i,), problems)
            if obj is not None:
                items.append((obj, Origin(located, (i,))))
    else:
        obj = validate(model, located.data, located, (), problems)
        if obj is not None:
            items.append((obj, Origin(located, ())))
    if len(problems) == before:
        store.validated[str(located.path)] = (located, items)
    return items
