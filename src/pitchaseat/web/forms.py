"""What a page says when a form is refused: the domain's message in the viewer's language."""

from __future__ import annotations

from pydantic import ValidationError

from pitchaseat.errors import DomainError
from pitchaseat.i18n import gettext as _


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
