"""What a page says when a form is refused: the domain's message in the viewer's language."""

from __future__ import annotations

from pydantic import ValidationError

from pitchaseat.errors import DomainError
from pitchaseat.i18n import gettext as _


def form_error(error: DomainError | ValidationError) -> tuple[str, int]:
    if isinstance(error, DomainError):
        return _(error.message), error.status
    return _("Some fields are missing or invalid."), 422
