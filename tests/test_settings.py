from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from pitchaseat.cli import main
from pitchaseat.settings import DEVELOPMENT_SECRET_KEY, Settings

ENV_EXAMPLE = Path(__file__).parent.parent / ".env.example"


def test_production_refuses_the_default_secret_key() -> None:
    with pytest.raises(ValidationError, match="PITCHASEAT_SECRET_KEY"):
        Settings(environment="production", _env_file=None)  # type: ignore[call-arg]


def test_production_refuses_a_short_secret_key() -> None:
    with pytest.raises(ValidationError, match="PITCHASEAT_SECRET_KEY is too short"):
        Settings(environment="production", secret_key="short", _env_file=None)  # type: ignore[call-arg]


def test_production_accepts_a_real_secret_key() -> None:
    settings = Settings(environment="production", secret_key="k" * 40, _env_file=None)  # type: ignore[call-arg]

    assert settings.secret_key != DEVELOPMENT_SECRET_KEY


def test_cli_refuses_to_start_with_a_bad_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PITCHASEAT_ENVIRONMENT", "production")
    from pitchaseat.settings import get_settings

    get_settings.cache_clear()
    try:
        status = main(["serve"])
    finally:
        get_settings.cache_clear()

    assert status == 2
    assert "PITCHASEAT_SECRET_KEY" in capsys.readouterr().err


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^PITCHASEAT_([A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))

    assert documented == {name.upper() for name in Settings.model_fields}


def test_the_base_url_follows_the_address_the_app_listens_on() -> None:
    moved = Settings(port=8100, _env_file=None)  # type: ignore[call-arg]
    elsewhere = Settings(host="192.0.2.10", port=9000, _env_file=None)  # type: ignore[call-arg]
    everywhere = Settings(host="0.0.0.0", port=8100, _env_file=None)  # type: ignore[call-arg]  # noqa: S104
    default = Settings(_env_file=None)  # type: ignore[call-arg]

    assert moved.base_url == "http://127.0.0.1:8100"
    assert elsewhere.base_url == "http://192.0.2.10:9000"
    assert everywhere.base_url == "http://127.0.0.1:8100"
    assert default.base_url == "http://127.0.0.1:8000"


def test_a_base_url_that_is_set_wins_over_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PITCHASEAT_BASE_URL", "https://tickets.example.tw")
    monkeypatch.setenv("PITCHASEAT_PORT", "8100")

    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert (settings.base_url, settings.port) == ("https://tickets.example.tw", 8100)


def test_the_port_from_the_environment_moves_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PITCHASEAT_BASE_URL", raising=False)
    monkeypatch.setenv("PITCHASEAT_PORT", "8100")

    assert Settings(_env_file=None).base_url == "http://127.0.0.1:8100"  # type: ignore[call-arg]
