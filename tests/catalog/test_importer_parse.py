"""The CSV parser on its own: no database, teams and stadiums passed in."""

from __future__ import annotations

import pytest

from pitchaseat.catalog.importer import TeamRef, parse_schedule_csv, schedule_to_csv
from pitchaseat.catalog.schedule import generate_season

HEADER = "season,game_number,date,time,home_team,away_team,stadium\n"
GOOD_ROW = "2099,1,2099-04-02,18:35,CTBC,RM,"
HOMES = {"CTBC": "TCH", "UL": "TNN", "RM": "TYN", "FG": "XZG", "WD": "TMU", "TSG": "CCL"}
STADIUMS = {code: n for n, code in enumerate(HOMES.values(), start=1)}
# Team ids deliberately differ from stadium ids so a mix-up shows.
TEAMS = {code: TeamRef(10 + n, STADIUMS[HOMES[code]]) for n, code in enumerate(HOMES)}


def parse(*rows: str, header: str = HEADER) -> tuple[int, list[tuple[int, str]]]:
    parsed = parse_schedule_csv(header + "".join(row + "\n" for row in rows), TEAMS, STADIUMS)
    return len(parsed.games), parsed.errors


def test_good_file_parses_every_game_with_ids_and_utc_times() -> None:
    text = HEADER + GOOD_ROW + "\n2099,2,2099-04-05,17:05,UL,FG,TMU\n"

    parsed = parse_schedule_csv(text, TEAMS, STADIUMS)

    assert parsed.errors == []
    first, second = parsed.games
    assert (first.line, first.season, first.game_number) == (2, 2099, 1)
    assert first.starts_at.isoformat() == "2099-04-02T10:35:00+00:00"
    assert (first.home_team_id, first.away_team_id) == (TEAMS["CTBC"].id, TEAMS["RM"].id)
    assert first.stadium_id == STADIUMS["TCH"]
    assert second.starts_at.isoformat() == "2099-04-05T09:05:00+00:00"
    assert second.stadium_id == STADIUMS["TMU"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2099,2,2099-02-30,18:35,UL,FG,", "bad date/time"),
        ("2099,2,2099/04/03,18:35,UL,FG,", "bad date/time"),
        ("2099,2,20990403,18:35,UL,FG,", "bad date/time"),
        ("2099,2,2099-04-03,25:00,UL,FG,", "bad date/time"),
        ("2099,2,2099-04-03,18:35:00,UL,FG,", "bad date/time"),
        ("2099,2,2099-04-03,18:35+00:00,UL,FG,", "bad date/time"),
        ("2098,2,2099-04-03,18:35,UL,FG,", "is not in season 2098"),
        ("2099,x,2099-04-03,18:35,UL,FG,", "whole numbers"),
        ("20x9,2,2099-04-03,18:35,UL,FG,", "whole numbers"),
        ("2099,1_0,2099-04-03,18:35,UL,FG,", "whole numbers"),
        ("2099,0,2099-04-03,18:35,UL,FG,", "whole numbers"),
        ("2099,2,2099-04-03,18:35,XXX,FG,", "unknown team code 'XXX' in home_team"),
        ("2099,2,2099-04-03,18:35,UL,ul,", "unknown team code 'ul' in away_team"),
        ("2099,2,2099-04-03,18:35,,FG,", "home_team is empty"),
        ("2099,2,2099-04-03,18:35,UL,UL,", "cannot play itself"),
        ("2099,2,2099-04-03,18:35,UL,FG,ZZZ", "unknown stadium code 'ZZZ'"),
        ("2099,2,2099-04-03,18:35,UL,FG", "expected 7 columns, found 6"),
        ("2099,2,2099-04-03,18:35,UL,FG,,extra", "expected 7 columns, found 8"),
        ("2099,1,2099-04-03,18:35,UL,FG,", "game 1 of 2099 repeats line 2"),
        ("2099,2,2099-04-02,17:05,RM,FG,", "a team already plays on 2099-04-02 (line 2)"),
    ],
)
def test_bad_row_is_reported_on_its_line(row: str, message: str) -> None:
    games, errors = parse(GOOD_ROW, row)

    assert games == 1
    assert len(errors) == 1
    assert errors[0][0] == 3
    assert message in errors[0][1]


def test_every_bad_row_in_a_file_is_reported_at_once() -> None:
    games, errors = parse(
        GOOD_ROW,  # line 2
        "2099,2,2099-02-30,18:35,UL,FG,",  # line 3
        "2099,3,2099-04-03,18:35,WD,TSG,",  # line 4: fine
        "2099,4,2099-04-03,18:35,UL,UL,",  # line 5
        "2099,3,2099-04-04,18:35,FG,TSG,",  # line 6
        "",  # line 7: blank, skipped
        "2099,6,2099-04-05,18:35,RM",  # line 8
    )

    assert games == 2
    assert [line for line, _ in errors] == [3, 5, 6, 8]


def test_one_row_with_several_faults_reports_each() -> None:
    _, errors = parse("2099,1,2099-13-01,18:35,XXX,YYY,ZZZ")

    assert len(errors) == 4
    assert {line for line, _ in errors} == {2}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("season,game_number,date,time,home_team,away_team\n", "lacks column(s): stadium"),
        ("season,date\n", "lacks column(s): game_number, time, home_team, away_team, stadium"),
        ("", "lacks column(s): season"),
        (HEADER.replace("stadium", "stadium,season"), "repeats column(s): season"),
    ],
)
def test_bad_header_is_reported_on_line_1(header: str, message: str) -> None:
    games, errors = parse(GOOD_ROW, header=header)

    assert games == 0
    assert len(errors) == 1
    assert errors[0][0] == 1
    assert message in errors[0][1]


def test_columns_may_come_in_any_order_with_extras() -> None:
    header = "home_team,away_team,stadium,notes,season,game_number,date,time\n"

    games, errors = parse("CTBC,RM,,opening day,2099,1,2099-04-02,18:35", header=header)

    assert (games, errors) == (1, [])


def test_byte_order_mark_and_crlf_line_endings_are_accepted() -> None:
    text = "\ufeff" + HEADER.replace("\n", "\r\n") + GOOD_ROW + "\r\n2099,2,bad,18:35,UL,FG,\r\n"

    parsed = parse_schedule_csv(text, TEAMS, STADIUMS)

    assert len(parsed.games) == 1
    assert parsed.errors == [(3, "bad date/time 'bad' '18:35' (YYYY-MM-DD HH:MM)")]


def test_header_only_file_has_neither_games_nor_errors() -> None:
    assert parse() == (0, [])


def test_exported_season_parses_back_unchanged() -> None:
    season = generate_season(2099, list(HOMES), HOMES)

    parsed = parse_schedule_csv(schedule_to_csv(season), TEAMS, STADIUMS)

    assert parsed.errors == []
    assert [
        (g.season, g.game_number, g.starts_at, g.home_team_id, g.away_team_id, g.stadium_id)
        for g in parsed.games
    ] == [
        (
            2099,
            p.game_number,
            p.starts_at,
            TEAMS[p.home_team].id,
            TEAMS[p.away_team].id,
            STADIUMS[p.stadium],
        )
        for p in season
    ]
