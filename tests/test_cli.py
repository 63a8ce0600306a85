from __future__ import annotations

from pathlib import Path

import pytest

from pitchaseat.cli import main
from pitchaseat.settings import get_settings


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PITCHASEAT_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PITCHASEAT_DATABASE_URL", "")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_demo_loads_a_whole_season_and_log_ins_once(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    first = capsys.readouterr().out
    assert main(["demo"]) == 0
    second = capsys.readouterr().out

    assert "360 games added, 2 users added" in first
    assert "0 games added, 0 users added, 0 listings added" in second
    listed = int(first.split("users added, ")[1].split(" listings")[0])
    assert listed > 500
    assert "seller@demo.pitchaseat.tw" in first
    assert (embedded / "var" / "pitchaseat.db").exists()


def test_games_import_reports_bad_rows_and_imports_nothing(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    bad = embedded / "bad.csv"
    bad.write_text(
        "season,game_number,date,time,home_team,away_team,stadium\n"
        "2099,1,2099-04-02,18:35,CTBC,RM,\n"
        "2099,2,2099-04-31,18:35,UL,FG,\n",
        encoding="utf-8",
    )
    good = embedded / "good.csv"
    good.write_text(bad.read_text().replace("2099-04-31", "2099-04-03"), encoding="utf-8")

    assert main(["games", "import", str(bad)]) == 1
    assert "line 3" in capsys.readouterr().err
    assert main(["games", "import", str(good)]) == 0
    assert "imported 2 games" in capsys.readouterr().out


def test_listings_expire_runs_on_an_empty_database(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0

    assert main(["listings", "expire"]) == 0
    assert "0 listing(s)" in capsys.readouterr().out


def test_orders_expire_holds_runs_on_an_empty_database(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0

    assert main(["orders", "expire-holds"]) == 0
    assert "0 expired hold(s) released" in capsys.readouterr().out
