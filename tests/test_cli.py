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
    # Some demo listings come with seat-view photos drawn at demo time.
    assert any((embedded / "var" / "media" / "listings").rglob("*-thumb.jpg"))


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


def test_operator_commands_on_a_demo_database(
    embedded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()

    assert main(["jobs", "run"]) == 0
    assert "hold(s) released" in capsys.readouterr().out
    assert main(["payouts", "due"]) == 0
    assert "no payouts due" in capsys.readouterr().out
    assert main(["payouts", "mark-paid", "1", "--reference", "TX"]) == 1
    assert "payout_account_missing" in capsys.readouterr().out
    assert main(["payouts", "account", "1"]) == 1
    assert "payout_account_missing" in capsys.readouterr().out
    assert main(["orders", "resolve-dispute", "999999", "refunded", "--note", "x"]) == 1
    assert "not_found" in capsys.readouterr().out
    assert main(["games", "postpone", "1"]) == 0
    assert "postponed, no make-up date yet" in capsys.readouterr().out
    assert main(["games", "postpone", "1", "--to", "2099-05-03 18:35"]) == 0
    assert "make-up game at 2099-05-03 18:35" in capsys.readouterr().out
    assert main(["games", "cancel", "2"]) == 0
    assert "cancelled; 0 hold(s) released, 0 order(s) refunded" in capsys.readouterr().out
    assert main(["games", "cancel", "999999"]) == 1


def test_postpone_refuses_a_date_it_cannot_read(embedded: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["games", "postpone", "1", "--to", "next tuesday"])
    assert exited.value.code == 2
