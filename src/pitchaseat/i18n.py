"""zh-TW first, English too: gettext catalogs (Babel ``.po`` files) chosen per request.

Message ids are English. The ``.po`` files are compiled in memory at start-up, so a fresh
clone needs no separate compile step.
"""

from __future__ import annotations

import io
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("zh_TW", "en")
LOCALE_COOKIE = "pas_lang"
LOCALES_DIR = Path(__file__).parent / "locales"
HTML_LANG = {"zh_TW": "zh-Hant-TW", "en": "en"}

_current_locale: ContextVar[str] = ContextVar("pas_locale", default="zh_TW")


@cache
def translations(locale: str) -> NullTranslations:
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_locale() -> str:
    return _current_locale.get()


def gettext(message: str) -> str:
    return translations(_current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(_current_locale.get()).ngettext(singular, plural, count)


def set_locale(locale: str) -> Token[str]:
    return _current_locale.set(locale)


def reset_locale(token: Token[str]) -> None:
    _current_locale.reset(token)


def pick_locale(cookie_value: str | None, query_value: str | None, default: str) -> str:
    for candidate in (query_value, cookie_value):
        if candidate in LOCALES:
            return candidate
    return default
