"""The JSON value type and the notice a result carries: shared by inputs, declarations, results."""

from __future__ import annotations

from dataclasses import dataclass

type JSONValue = bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A cap that changed a result, or a warning; ``reference`` is a ref id, None for [PC]."""

    id: str
    message: str
    reference: str | None = None

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON data with a fixed key order."""
        return {"id": self.id, "message": self.message, "reference": self.reference}
