"""Reads on the driver's own connection give the rows SQLAlchemy's execution would give."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from pitchaseat.accounts.models import User
from pitchaseat.catalog import read_model as calendar_model
from pitchaseat.catalog.models import Game, SeatArea, Team
from pitchaseat.db import create_read_engine, create_session_factory
from pitchaseat.listings import read_model as listings_model
from pitchaseat.listings.models import DeliveryMethod, Listing, ListingImage
from pitchaseat.listings.sorting import ListingSort
from pitchaseat.rawsql import RawReader, borrowed_reader, compile_read, open_reader
from tests.support.databases import DatabasePlan

STARTS_AT = datetime(2098, 4, 11, 10, 35, 0, 250, tzinfo=UTC)


@dataclass(frozen=True)
class Committed:
    game_id: int
    seat_area: str


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[Committed]:
    """A game with one listing and its photo, committed (the reader's own connections see
    only committed rows), removed again afterwards."""
    async with create_session_factory(engine)() as session:
        home, away = (await session.scalars(select(Team).order_by(Team.id).limit(2))).all()
        area = await session.scalar(select(SeatArea).order_by(SeatArea.id).limit(1))
        assert area is not None
        game = Game(
            season=2098,
            game_number=9001,
            starts_at=STARTS_AT,
            home_team_id=home.id,
            away_team_id=away.id,
            stadium_id=home.home_stadium_id,
            listing_count=1,
        )
        seller = User(
            email="raw-reader@example.com",
            password_hash="x",
            display_name="Raw Reader",
            rating_count=3,
            rating_sum=14,
            seller_score=4.5,
        )
        session.add_all([game, seller])
        await session.flush()
        listing = Listing(
            game_id=game.id,
            seller_id=seller.id,
            seat_area_id=area.id,
            row="12",
            quantity=2,
            available_quantity=2,
            face_value=600,
            price=450,
            delivery_method=DeliveryMethod.e_ticket,
            sell_together=True,
        )
        session.add(listing)
        await session.flush()
        session.add(
            ListingImage(
                listing_id=listing.id,
                storage_key="a/b.jpg",
                thumbnail_key="a/b-t.jpg",
                content_type="image/jpeg",
                width=10,
                height=10,
            )
        )
        await session.commit()
        try:
            yield Committed(game.id, area.code)
        finally:
            await session.execute(delete(ListingImage).where(ListingImage.listing_id == listing.id))
            await session.execute(delete(Listing).where(Listing.id == listing.id))
            await session.execute(delete(Game).where(Game.id == game.id))
            await session.execute(delete(User).where(User.id == seller.id))
            await session.commit()


@pytest.fixture
async def own_reader(database: DatabasePlan) -> AsyncIterator[RawReader]:
    reader = open_reader(database.url, pool_size=2)
    assert reader is not None
    try:
        yield reader
    finally:
        await reader.close()


def _statements(committed: Committed) -> list[tuple[object, dict[str, object]]]:
    page = listings_model._page_statement(ListingSort.price_asc, 1, True, False, False)
    page_parameters = {
        "game_id": committed.game_id,
        "min_quantity": 1,
        "sales_cutoff": datetime(2098, 1, 1, tzinfo=UTC),
        "area_0": committed.seat_area,
        "min_price": 100,
        "limit": 20,
        "offset": 0,
    }
    calendar_parameters = {
        "start": datetime(2098, 4, 1, tzinfo=UTC),
        "end": datetime(2098, 5, 1, tzinfo=UTC),
    }
    return [
        (page, page_parameters),
        (calendar_model._STATEMENTS[False], calendar_parameters),
    ]


async def _sqlalchemy_rows(
    engine: AsyncEngine, statement: object, parameters: dict[str, object]
) -> list[tuple[object, ...]]:
    async with engine.connect() as connection:
        result = await connection.execute(statement, parameters)  # type: ignore[call-overload]
        return [tuple(row) for row in result.all()]


async def test_own_pool_rows_equal_sqlalchemys(
    engine: AsyncEngine, own_reader: RawReader, committed: Committed
) -> None:
    for statement, parameters in _statements(committed):
        expected = await _sqlalchemy_rows(engine, statement, parameters)

        rows = await own_reader.rows(statement, parameters)  # type: ignore[arg-type]

        assert rows == expected
        assert len(rows) == 1


async def test_own_pool_page_has_the_photo_and_the_decoded_values(
    own_reader: RawReader, committed: Committed
) -> None:
    page = await listings_model.game_listing_page(
        own_reader,
        committed.game_id,
        _NoStorage(),
        sort=ListingSort.newest,
        filters=listings_model.BrowseFilters(),
        page=1,
        page_size=20,
        now=datetime(2098, 1, 1, tzinfo=UTC),
    )

    (item,) = page.items
    assert item["sell_together"] is True
    assert item["images"] == [
        {"id": item["images"][0]["id"], "url": "a/b.jpg", "thumbnail_url": "a/b-t.jpg"}
    ]
    assert item["seller"]["seller_score"] == 4.5
    assert page.game_starts_at == STARTS_AT
    assert page.total == 1


async def test_own_pool_calendar_equals_the_one_read_in_a_transaction(
    engine: AsyncEngine, own_reader: RawReader, committed: Committed
) -> None:
    async with engine.connect() as connection:
        expected = await calendar_model.month_calendar_json(
            await borrowed_reader(connection), "2098-04"
        )

    body = await calendar_model.month_calendar_json(own_reader, "2098-04")

    assert body == expected
    assert f'"id":{committed.game_id},' in body.decode()


async def test_the_read_engine_fallback_reads_alike(
    database: DatabasePlan, own_reader: RawReader, committed: Committed
) -> None:
    # The fallback serves drivers without a reader of their own: on MariaDB, aiomysql.
    url = make_url(database.url)
    if url.get_backend_name() == "mysql":
        url = url.set(drivername="mysql+aiomysql")
        assert open_reader(url.render_as_string(hide_password=False), pool_size=1) is None
    engine = create_read_engine(url.render_as_string(hide_password=False), pool_size=1)
    try:
        async with engine.connect() as connection:
            body = await calendar_model.month_calendar_json(
                await borrowed_reader(connection), "2098-04"
            )
    finally:
        await engine.dispose()

    assert body == await calendar_model.month_calendar_json(own_reader, "2098-04")


async def test_borrowed_reader_sees_the_open_transaction(
    committed: Committed, connection: AsyncConnection
) -> None:
    # (``committed`` first: its clean-up runs after this transaction is rolled back.)
    await connection.execute(
        Game.__table__.update().where(Game.id == committed.game_id).values(listing_count=7)
    )
    reader = await borrowed_reader(connection)
    statement = select(Game.listing_count).where(Game.id == bindparam("game_id"))

    rows = await reader.rows(statement, {"game_id": committed.game_id})

    assert rows == [(7,)]


async def test_own_pool_refuses_writes(own_reader: RawReader) -> None:
    with pytest.raises(Exception) as refused:  # noqa: PT011 - each driver has its own error
        await own_reader.fetch_sql("UPDATE teams SET color = color")

    assert not isinstance(refused.value, DBAPIError)  # the driver's own error, unwrapped


async def test_a_failed_read_leaves_the_reader_usable(own_reader: RawReader) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - each driver has its own error
        await own_reader.fetch_sql("SELECT no_such_column FROM teams")

    rows = await own_reader.rows(select(func.count()).select_from(Team), {})

    assert rows == [(6,)]


def test_an_expanding_in_is_refused() -> None:
    statement = select(Team.id).where(Team.code.in_(bindparam("codes", expanding=True)))

    with pytest.raises(ValueError, match="expanding"):
        compile_read(statement, _sqlite_dialect())


def _sqlite_dialect():  # type: ignore[no-untyped-def]
    from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

    return SQLiteDialect_aiosqlite()


class _NoStorage:
    def url(self, key: str) -> str:
        return key


@pytest.mark.parametrize(
    "url", ["sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite:///file:x?mode=memory&uri=true"]
)
def test_an_in_memory_sqlite_database_has_no_reader_of_its_own(url: str) -> None:
    # Another connection would see another, empty database.
    assert open_reader(url, pool_size=1) is None


def test_a_sqlite_file_gets_its_own_reader(tmp_path: Path) -> None:
    reader = open_reader(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", pool_size=1)

    assert reader is not None
    assert reader.dialect.name == "sqlite"
