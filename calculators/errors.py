"""Input errors, reported all at once so a form can mark every bad field in one pass."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class FieldError:
    """One problem with one field; ``field`` is an input name, "input" or "calculator"."""

    field: str
    message: str
    unit: str | None = None
    accepted_min: float | None = None
    accepted_max: float | None = None
    choices: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain JSON data; absent details are omitted rather than sent as null."""
        data: dict[str, object] = {"field": self.field, "message": self.message}
        if self.unit is not None:
            data["unit"] = self.unit
        if self.accepted_min is not None:
            data["accepted_min"] = self.accepted_min
        if self.accepted_max is not None:
            data["accepted_max"] = self.accepted_max
        if self.choices is not None:
            data["choices"] = list(self.choices)
        return data


class CalculatorInputError(ValueError):
    """Raised when inputs cannot be used; carries every field error found, not just the first."""

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(error.message for error in self.errors))

    def to_dict(self) -> dict[str, object]:
        """The ``{"errors": [...]}`` payload returned by run_json and the CLI."""
        return {"errors": [error.to_dict() for error in self.errors]}


class DeclarationError(TypeError):
    """A calculator declaration contradicts itself; raised at import, never at run time."""
