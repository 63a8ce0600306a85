"""Listing pages: a game's tickets and the seller's own listings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from starlette.datastructures import FormData

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.accounts.models import User
from pitchaseat.catalog import seatmap
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.db import rollback
from pitchaseat.errors import DomainError
from pitchaseat.i18n import gettext
from pitchaseat.listings import browse, read_model, service
from pitchaseat.listings.deps import StorageDep
from pitchaseat.listings.models import MAX_FACE_VALUE, Listing, ListingStatus
from pitchaseat.listings.pages.games import game_with_areas
from pitchaseat.listings.schemas import ListingUpdate
from pitchaseat.listings.sorting import ListingSort
from pitchaseat.rawsql import session_reader
from pitchaseat.timeutil import utcnow
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep
from pitchaseat.web.forms import FormErrors
from pitchaseat.web.page_fragments import GAME_PAGE, page_fragments
from pitchaseat.web.params import IdPath
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
_ = gettext
MAX_PHOTOS_PER_FORM = 5
PAGE_SIZE = 20
EDIT_FIELDS = frozenset({"price", "quantity", "note"})


def _sort_options() -> list[tuple[str, str]]:
    return [
        (ListingSort.price_asc.value, _("Price: low to high")),
        (ListingSort.price_desc.value, _("Price: high to low")),
        (ListingSort.newest.value, _("Newest")),
        (ListingSort.seat_area.value, _("Seat area")),
        (ListingSort.seller_rating.value, _("Seller rating")),
    ]


def _filter_int(errors: FormErrors, text: str | None, name: str, low: int, high: int) -> int | None:
    if text is None or not text.strip():
        return None
    text = text.strip()
    if not text.isdigit() or not low <= int(text) <= high:
        errors.fields[name] = _("Enter a whole number from %(low)d to %(high)d.") % {
            "low": low,
            "high": high,
        }
        return None
    return int(text)


@router.get("/games/{game_id}")
async def game_page(
    request: Request,
    session: SessionDep,
    storage: StorageDep,
    game_id: IdPath,
    sort: ListingSort = ListingSort.price_asc,
    seat_area: Annotated[str | None, Query(max_length=32)] = None,
    min_price_text: Annotated[str | None, Query(alias="min_price", max_length=6)] = None,
    max_price_text: Annotated[str | None, Query(alias="max_price", max_length=6)] = None,
    quantity_text: Annotated[str | None, Query(alias="quantity", max_length=2)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    return await render_game_page(
        request,
        session,
        storage,
        game_id,
        GameFilters(sort, seat_area, min_price_text, max_price_text, quantity_text, page),
    )


@dataclass(frozen=True)
class GameFilters:
    """The game page's query, as typed (a bad box is marked, not refused)."""

    sort: ListingSort = ListingSort.price_asc
    seat_area: str | None = None
    min_price_text: str | None = None
    max_price_text: str | None = None
    quantity_text: str | None = None
    page: int = 1


@dataclass(frozen=True)
class BuyRefusal:
    """A Buy that was refused: the game page comes back with the reason beside that listing."""

    listing_id: int
    message: str
    status: int


async def render_game_page(
    request: Request,
    session: Any,
    storage: Any,
    game_id: int,
    query_in: GameFilters | None = None,
    *,
    refused: BuyRefusal | None = None,
) -> Response:
    query_in = query_in or GameFilters()
    sort, seat_area, page = query_in.sort, query_in.seat_area, query_in.page
    min_price_text, max_price_text = query_in.min_price_text, query_in.max_price_text
    quantity_text = query_in.quantity_text
    # A plain GET form sends its empty boxes as empty strings: they mean "no filter". A bad
    # box comes back marked on the same page (422), the list shown without that filter.
    errors = FormErrors()
    min_price = _filter_int(errors, min_price_text, "min_price", 0, MAX_FACE_VALUE)
    max_price = _filter_int(errors, max_price_text, "max_price", 0, MAX_FACE_VALUE)
    quantity = _filter_int(errors, quantity_text, "quantity", 1, 10)
    game = await game_with_areas(session, game_id)
    # An area with a control character is no area (a NUL would break PostgreSQL's text).
    areas = [seat_area] if seat_area and seat_area.isprintable() else []
    listing_page = await read_model.game_listing_page(
        await session_reader(session),
        game_id,
        storage,
        sort=sort,
        filters=read_model.BrowseFilters(areas, min_price, max_price, quantity),
        page=page,
        page_size=PAGE_SIZE,
    )
    query = {
        key: value
        for key, value in {
            "sort": sort.value,
            "seat_area": seat_area,
            "min_price": min_price,
            "max_price": max_price,
            "quantity": quantity,
        }.items()
        if value not in (None, "")
    }

    def page_url(number: int) -> str:
        return f"/games/{game_id}?{urlencode({**query, 'page': number})}"

    shapes = seatmap.park_shapes(game.stadium.seat_areas)
    areas_map = seatmap.game_map(shapes, await read_model.area_offers(session, game_id), seat_area)

    def area_url(code: str | None) -> str:
        # A tap on the map filters the list; the other filters stay as they are.
        chosen = {**query, "seat_area": code} if code else query
        kept = {key: value for key, value in chosen.items() if key != "seat_area" or code}
        return f"/games/{game_id}?{urlencode(kept)}#listings"

    context = {
        "game": game,
        "page": listing_page,
        "seat_map": areas_map,
        "seat_map_zones": seatmap.by_zone(areas_map),
        "seat_shapes": shapes,
        "area_url": area_url,
        "sort": sort.value,
        "sort_options": _sort_options(),
        "seat_areas": game.stadium.seat_areas,
        "selected_areas": areas,
        "min_price": min_price,
        "max_price": max_price,
        "quantity": quantity,
        "page_url": page_url,
        "on_sale": is_on_sale(game, utcnow()),
        "fragments": await page_fragments(request, GAME_PAGE, session, game=game),
        "filtered": bool(areas or query.keys() - {"sort"}),
        "filter_values": {"min_price": min_price, "max_price": max_price, "quantity": quantity},
        "filter_errors": errors if errors.fields else None,
        "buy_refused": refused,
    }
    status = refused.status if refused else 422 if errors.fields else 200
    return render(request, "catalog/game.html", context, status_code=status)


def _login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={path}", status_code=303)


async def _mine_page(
    request: Request,
    session: Any,
    seller: User,
    *,
    status: ListingStatus | None = None,
    edit: tuple[int, dict[str, Any], FormErrors] | None = None,
) -> Response:
    result = await browse.seller_listings(session, seller, status=status, limit=100)
    game_ids = {listing.game_id for listing in result.listings}
    games = (
        await session.scalars(
            select(Game)
            .where(Game.id.in_(game_ids))
            .options(joinedload(Game.home_team), joinedload(Game.away_team))
        )
        if game_ids
        else []
    )
    context = {
        "games": {game.id: game for game in games},
        # The refused edit: which listing, what was typed, and what was wrong.
        "edit_id": edit[0] if edit else None,
        "edit_values": edit[1] if edit else {},
        "edit_errors": edit[2] if edit else None,
        "listings": result.listings,
        "status": status.value if status else None,
        "statuses": [value.value for value in ListingStatus],
        "notice": _("Saved.") if request.query_params.get("saved") else None,
    }
    return render(
        request, "listings/mine.html", context, status_code=edit[2].status if edit else 200
    )


async def _owned_from_form(
    request: Request, session: Any, seller: User, listing_id: int
) -> tuple[Listing, FormData]:
    form = await request.form()
    require_form_csrf(request, form.get("csrf_token"))
    return await service.owned_listing(session, listing_id, seller), form


@router.get("/me/listings")
async def my_listings(
    request: Request,
    user: PageUser,
    session: SessionDep,
    status: ListingStatus | None = None,
) -> Response:
    if user is None:
        return _login_redirect("/me/listings")
    return await _mine_page(request, session, user, status=status)


@router.post("/me/listings/{listing_id}")
async def edit_listing(
    request: Request,
    user: PageUser,
    session: SessionDep,
    listing_id: IdPath,
) -> Response:
    if user is None:
        return _login_redirect("/me/listings")
    listing, form = await _owned_from_form(request, session, user, listing_id)
    seller_id = user.id
    try:
        body = ListingUpdate(
            price=form.get("price") or None,
            quantity=form.get("quantity") or None,
            note=str(form.get("note") or ""),
        )
        await service.update_listing(
            session, listing, price=body.price, quantity=body.quantity, note=body.note
        )
    except (ValidationError, DomainError) as error:
        await rollback(session)
        typed = {name: str(form.get(name) or "") for name in EDIT_FIELDS}
        errors = FormErrors.of(error, known=EDIT_FIELDS)
        seller = await session.get(User, seller_id)
        assert seller is not None
        return await _mine_page(request, session, seller, edit=(listing_id, typed, errors))
    return RedirectResponse("/me/listings?saved=1", status_code=303)


@router.post("/me/listings/{listing_id}/withdraw")
async def withdraw_listing(
    request: Request,
    user: PageUser,
    session: SessionDep,
    listing_id: IdPath,
) -> Response:
    if user is None:
        return _login_redirect("/me/listings")
    listing, _form = await _owned_from_form(request, session, user, listing_id)
    await service.withdraw_listing(session, listing)
    return RedirectResponse("/me/listings?saved=1", status_code=303)
