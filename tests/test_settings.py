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
