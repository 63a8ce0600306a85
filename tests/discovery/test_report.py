"""recs report: click-through per variant, compared only when the sample ratio holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.cli import main
from pitchaseat.discovery.models import RecommendationEvent
from pitchaseat.discovery.report import experiment_report
from pitchaseat.settings import get_settings
from tests.factories import make_game, make_user


async def log_events(
    db_session: AsyncSession, game_id: int, variant: str, users: list[int], clicks: int
) -> None:
    rows = [
        {
            "user_id": u,
            "variant": variant,
            "kind": "impression",
            "game_id": game_id,
            "request_id": "r" * 16,
        }
        for u in users
    ]
    rows += [
        {
            "user_id": u,
            "variant": variant,
            "kind": "click",
            "game_id": game_id,
            "request_id": "r" * 16,
        }
        for u in users[:clicks]
    ]
    await db_session.execute(insert(RecommendationEvent), rows)
    await db_session.commit()


async def test_balanced_variants_are_compared_with_intervals(db_session: AsyncSession) -> None:
    game = await make_game(db_session)
    users = [(await make_user(db_session)).id for _ in range(40)]
    await log_events(db_session, game.id, "A", users[:20], clicks=2)
    await log_events(db_session, game.id, "B", users[20:], clicks=8)

    report = await experiment_report(db_session, {"A": 50, "B": 50})

    a, b = report.variants
    assert (a.users, a.impressions, a.clicks) == (20, 20, 2)
    assert b.click_through.rate == pytest.approx(0.4)
    assert a.click_through.low < 0.1 < a.click_through.high
    assert report.sample_ratio is not None and report.sample_ratio.warning is None
    assert report.difference is not None
    assert report.difference.difference == pytest.approx(0.3)


async def test_a_sample_ratio_mismatch_warns_instead_of_comparing(
    db_session: AsyncSession,
) -> None:
    game = await make_game(db_session)
    users = [(await make_user(db_session)).id for _ in range(130)]
    await log_events(db_session, game.id, "A", users[:120], clicks=10)
    await log_events(db_session, game.id, "B", users[120:], clicks=5)

    report = await experiment_report(db_session, {"A": 50, "B": 50})

    assert report.sample_ratio is not None and report.sample_ratio.warning is not None
    assert report.difference is None


def test_recs_report_runs_on_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PITCHASEAT_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PITCHASEAT_DATABASE_URL", "")
    get_settings.cache_clear()
    try:
        assert main(["db", "upgrade"]) == 0
        assert main(["recs", "report"]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    assert "not enough impressions" in out
