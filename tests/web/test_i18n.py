from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pitchaseat import errors, i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "pitchaseat"
ZH_PO = PACKAGE / "locales" / "zh_TW" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def zh_catalog() -> dict[str, object]:
    with ZH_PO.open("rb") as po_file:
        catalog = read_po(po_file)
    return {
        (message.id if isinstance(message.id, str) else message.id[0]): message
        for message in catalog
        if message.id
    }


def used_message_ids() -> set[str]:
    found = extract_from_dir(str(PACKAGE), METHOD_MAP, keywords=KEYWORDS, options_map=OPTIONS)
    return {
        message if isinstance(message, str) else message[0]
        for _filename, _line, message, _comments, _context in found
    }


def all_domain_errors(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found += [sub, *all_domain_errors(sub)]
    return found


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    catalog = zh_catalog()

    missing = sorted(
        message_id
        for message_id in used_message_ids()
        if message_id not in catalog or not catalog[message_id].string  # type: ignore[attr-defined]
    )

    assert missing == []
    assert not any(message.fuzzy for message in catalog.values())  # type: ignore[attr-defined]


def test_every_error_message_has_a_chinese_translation() -> None:
    import pitchaseat.app  # noqa: F401  (loads every domain's errors)

    catalog = zh_catalog()
    messages = {error.default_message for error in all_domain_errors(errors.DomainError)}

    assert sorted(m for m in messages if m not in catalog) == []


def test_locale_follows_the_request() -> None:
    token = i18n._current_locale.set("zh_TW")
    try:
        zh = i18n.gettext("Log in")
        i18n._current_locale.set("en")
        en = i18n.gettext("Log in")
    finally:
        i18n._current_locale.reset(token)

    assert (zh, en) == ("登入", "Log in")
