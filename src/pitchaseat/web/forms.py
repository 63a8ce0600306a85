"""What a page says when a form is refused: the domain's message in the viewer's language,
beside the field it is about (the form comes back with the input kept, never a bare 4xx)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from pitchaseat.errors import DomainError
from pitchaseat.i18n import gettext as _

# The form field a domain error is about, when the error does not name one itself.
FIELD_OF_CODE = {
    "price_above_face_value": "price",
    "free_ticket_not_allowed": "face_value",
    "unknown_seat_area": "seat_area",
    "quantity_below_taken": "quantity",
    "too_many_photos": "photos",
    "not_enough_tickets": "quantity",
    "email_taken": "email",
    "weak_password": "password",
    "unknown_team": "favorite_team_ids",
    "bad_price_range": "max_price",
}


def form_error(error: DomainError | ValidationError) -> tuple[str, int]:
    if isinstance(error, DomainError):
        return _(error.message), error.status
    return _("Some fields are missing or invalid."), 422


def form_field_errors(error: DomainError | ValidationError, message: str) -> dict[str, str]:
    """The refusal's message keyed by the one form field it is about (shown beside that
    field), or nothing when it names no single field (shown above the form)."""
    if isinstance(error, DomainError):
        field = error.details.get("field")
        return {field: message} if isinstance(field, str) else {}
    fields = {str(item["loc"][0]) for item in error.errors() if item.get("loc")}
    return {fields.pop(): message} if len(fields) == 1 else {}


def _validation_message(item: Mapping[str, Any]) -> str:
    kind, context = str(item.get("type", "")), item.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and context.get("min_length") == 1):
        return _("Fill in this field.")
    if kind == "string_too_short":
        return _("At least %(count)s characters.") % {"count": context.get("min_length")}
    if kind == "string_too_long":
        return _("At most %(count)s characters.") % {"count": context.get("max_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("At least %(value)s.") % {"value": context.get("ge", context.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("At most %(value)s.") % {"value": context.get("le", context.get("lt"))}
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a whole number.")
    if kind == "value_error" and "email" in str(item.get("msg", "")).lower():
        return _("Enter a valid email address.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of the options.")
    return _("This value is not valid.")


@dataclass
class FormErrors:
    """Messages by field name, plus one for the whole form when no field is to blame."""

    fields: dict[str, str] = field(default_factory=dict)
    general: str | None = None
    status: int = 422

    @property
    def summary(self) -> str:
        """What the top of the form says (screen readers hear it first)."""
        if self.general:
            return self.general
        return _("Please correct the fields marked below.")

    @classmethod
    def of(
        cls,
        error: DomainError | ValidationError,
        *,
        known: set[str] | frozenset[str] = frozenset(),
        rename: Mapping[str, str] | None = None,
    ) -> FormErrors:
        """``known`` are the form's field names; ``rename`` maps a schema's names to them."""
        rename = rename or {}
        if isinstance(error, ValidationError):
            found = cls()
            for item in error.errors():
                location = item.get("loc", ())
                name = rename.get(str(location[0]), str(location[0])) if location else ""
                if name in known:
                    found.fields.setdefault(name, _validation_message(item))
                else:
                    found.general = _("Some fields are missing or invalid.")
            return found
        name = str(error.details.get("field") or FIELD_OF_CODE.get(error.code, ""))
        name = rename.get(name, name)
        message = _(error.message)
        if error.details.get("problems"):
            message = " ".join(_(problem) for problem in error.details["problems"])
        if name in known:
            return cls(fields={name: message}, status=error.status)
        return cls(general=message, status=error.status)
