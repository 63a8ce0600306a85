"""The sell form: one posting for a game with one or more tickets, each with its own area, row,
seats, price and photos, published together (each becomes its own listing) or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from pitchaseat.accounts.deps import PageUser, cookie_user
from pitchaseat.catalog import seatmap
from pitchaseat.catalog import service as catalog
from pitchaseat.catalog.models import Game
from pitchaseat.catalog.sales import is_on_sale
from pitchaseat.db import release_connection, rollback
from pitchaseat.errors import DomainError, InvalidInput
from pitchaseat.i18n import gettext
from pitchaseat.ledger.service import seller_fee
from pitchaseat.listings import photo_service, service
from pitchaseat.listings.deps import PhotoPipelineDep, StorageDep
from pitchaseat.listings.errors import TooManyPhotos
from pitchaseat.listings.models import MAX_QUANTITY, DeliveryMethod
from pitchaseat.listings.pages.games import game_with_areas
from pitchaseat.listings.photo_service import PhotoPipeline
from pitchaseat.listings.photos import MAX_UPLOAD_BYTES, ProcessedPhoto
from pitchaseat.listings.schemas import ListingCreate
from pitchaseat.timeutil import utcnow
from pitchaseat.web.csrf import require_form_csrf
from pitchaseat.web.deps import SessionDep, SettingsDep
from pitchaseat.web.forms import FormErrors, form_error
from pitchaseat.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(cookie_user)])
_ = gettext
MAX_PHOTOS_PER_TICKET = 5
MAX_TICKET_ROWS = 10
ROW_FIELDS = ("seat_area", "row", "seats", "quantity", "face_value", "price", "sell_together")
# Which box a refused ticket's message belongs beside.
ERROR_FIELDS = {
    "price_above_face_value": "price",
    "price_below_minimum": "price",
    "free_ticket_not_allowed": "face_value",
    "unknown_seat_area": "seat_area",
    "too_many_photos": "photos",
    "photo_too_large": "photos",
    "photo_dimensions_too_large": "photos",
    "unsupported_photo_type": "photos",
}


def field_name(name: str, index: int) -> str:
    """The first ticket's boxes keep the plain names; ticket n adds ``_n``."""
    return name if index == 0 else f"{name}_{index + 1}"


def _field_messages() -> dict[str, str]:
    return {
        "seat_area": _("Choose a seat area."),
        "row": _("A row is at most 10 characters."),
        "seats": _("Seats are at most 60 characters."),
        "quantity": _("Enter 1 to 10 tickets."),
        "face_value": _("Enter the face value printed on the ticket, in NT$."),
        "price": _("Enter your asking price in NT$, at most the face value."),
        "delivery_method": _("Choose how you hand over the tickets."),
        "note": _("A note is at most 500 characters."),
    }


@dataclass
class SellForm:
    """What the seller typed, kept to fill the form again, and the messages beside boxes."""

    values: dict[str, str]
    row_count: int
    photos: list[list[UploadFile]]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, form: FormData) -> SellForm:
        values = {key: value for key, value in form.items() if isinstance(value, str)}
        raw_rows = values.get("rows", "1")
        rows = int(raw_rows) if raw_rows.isdigit() else 1
        rows = max(1, min(rows, MAX_TICKET_ROWS))
        photos = [
            [
                item
                for item in form.getlist(field_name("photos", index))
                if not isinstance(item, str) and item.filename
            ]
            for index in range(rows)
        ]
        return cls(values, rows, photos)

    def tickets(self, game_id: int) -> list[service.NewListing]:
        """Every ticket validated; all the boxes' messages are gathered before refusing."""
        tickets = []
        shared = {
            "delivery_method": self.values.get("delivery_method", ""),
            "note": self.values.get("note") or None,
        }
        for index in range(self.row_count):
            raw = {name: self.values.get(field_name(name, index), "") for name in ROW_FIELDS}
            try:
                body = ListingCreate(
                    game_id=game_id,
                    seat_area=raw["seat_area"],
                    row=raw["row"] or None,
                    seats=raw["seats"] or None,
                    quantity=raw["quantity"],
                    face_value=raw["face_value"],
                    price=raw["price"],
                    sell_together=bool(raw["sell_together"]),
                    **shared,
                )
            except ValidationError as error:
                self._note_validation(error, index)
                continue
            if len(self.photos[index]) > MAX_PHOTOS_PER_TICKET:
                self.errors[field_name("photos", index)] = _(TooManyPhotos.default_message)
            tickets.append(service.NewListing(**body.model_dump()))
        if self.errors:
            raise InvalidInput("Some fields are missing or invalid.")
        return tickets

    def _note_validation(self, error: ValidationError, index: int) -> None:
        messages = _field_messages()
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            if name in ("delivery_method", "note"):
                self.errors.setdefault(name, messages[name])
            elif name in messages:
                self.errors.setdefault(field_name(name, index), messages[name])

    def refusal(self, error: DomainError) -> FormErrors:
        """A refused ticket's message beside its box; one that names no box goes on top."""
        message, status = form_error(error)
        row = error.details.get("row")
        box = ERROR_FIELDS.get(error.code)
        if isinstance(row, int) and box:
            self.errors[field_name(box, row)] = message
        general = None if self.errors else message
        return FormErrors(fields=dict(self.errors), general=general, status=status)


@dataclass(frozen=True)
class SellerMoney:
    """What the seller keeps: the form shows it under each ticket, and the page's script
    redraws it as the price and quantity change (with the same rounding as the ledger)."""

    fee_bps: int
    email_verified: bool

    @property
    def fee_percent(self) -> str:
        return f"{self.fee_bps / 100:g}"

    def estimate(self, price: str | None, quantity: str | None) -> tuple[int, int] | None:
        """(fee, payout) for the whole ticket row sold in one order, once both are typed."""
        if not (price and price.isdigit() and quantity and quantity.isdigit()):
            return None
        amount = int(price) * int(quantity)
        fee = seller_fee(amount, self.fee_bps)
        return fee, amount - fee


def _sell_context(
    game: Game | None,
    upcoming: list[Game],
    form: SellForm | None = None,
    errors: FormErrors | None = None,
    *,
    money: SellerMoney,
) -> dict[str, Any]:
    shapes = seatmap.park_shapes(game.stadium.seat_areas) if game else []
    form = form or SellForm({}, 1, [[]])
    return {
        "money": money,
        "game": game,
        "upcoming": upcoming,
        "delivery_methods": [method.value for method in DeliveryMethod],
        "values": form.values,
        "errors": errors,
        "row_count": form.row_count,
        "max_rows": MAX_TICKET_ROWS,
        "max_quantity": MAX_QUANTITY,
        "field_name": field_name,
        "seat_map": seatmap.game_map(shapes, {}, form.values.get("seat_area")),
        "pick_url": lambda code: f"/sell?game_id={game.id}&seat_area={code}" if game else "",
    }


def _login_redirect(path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={path}", status_code=303)


async def _upcoming_games(session: Any) -> list[Game]:
    result = await catalog.list_games(session, date_from=utcnow().date(), limit=60)
    return [game for game in result.games if is_on_sale(game, utcnow())]


@router.get("/sell")
async def sell_page(
    request: Request,
    user: PageUser,
    session: SessionDep,
    settings: SettingsDep,
    game_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    seat_area: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    if user is None:
        return _login_redirect(f"/sell?game_id={game_id}" if game_id else "/sell")
    money = SellerMoney(settings.seller_fee_bps, user.email_verified)
    if game_id is None:
        context = _sell_context(None, await _upcoming_games(session), money=money)
        return render(request, "listings/sell.html", context)
    game = await game_with_areas(session, game_id)
    # A tap on the map without JavaScript comes back here with the area chosen.
    form = SellForm({"seat_area": seat_area} if seat_area else {}, 1, [[]])
    return render(request, "listings/sell.html", _sell_context(game, [], form, money=money))


async def _processed_photos(
    pipeline: PhotoPipeline, photos: list[UploadFile], row: int
) -> list[ProcessedPhoto]:
    """Each photo decoded and re-encoded, with no transaction open (on SQLite that would
    hold the database's write lock); a refusal names its ticket's row."""
    processed = []
    for photo in photos:
        try:
            processed.append(await pipeline.process(await photo.read(MAX_UPLOAD_BYTES + 1)))
        except DomainError as error:
            error.details["row"] = row
            raise
    return processed


@router.post("/sell")
async def sell(
    request: Request,
    user: PageUser,
    session: SessionDep,
    storage: StorageDep,
    pipeline: PhotoPipelineDep,
    settings: SettingsDep,
) -> Response:
    if user is None:
        return _login_redirect("/sell")
    money = SellerMoney(settings.seller_fee_bps, user.email_verified)
    raw = await request.form()
    require_form_csrf(request, raw.get("csrf_token"))
    form = SellForm.parse(raw)
    raw_game_id = form.values.get("game_id", "")
    if not raw_game_id.isdigit() or not 1 <= int(raw_game_id) <= 2_147_483_647:
        picker = FormErrors(fields={"game_id": _("Choose a game.")})
        context = _sell_context(None, await _upcoming_games(session), errors=picker, money=money)
        return render(request, "listings/sell.html", context, status_code=422)
    game = await game_with_areas(session, int(raw_game_id))
    game_id = game.id
    if form.values.get("add_row") and form.row_count < MAX_TICKET_ROWS:
        # Another ticket's boxes, everything typed so far kept (files cannot be kept).
        form.row_count += 1
        return render(request, "listings/sell.html", _sell_context(game, [], form, money=money))
    try:
        tickets = form.tickets(game_id)
        await release_connection(session)
        photos = [
            await _processed_photos(pipeline, form.photos[row], row) for row in range(len(tickets))
        ]
        listings = await service.create_listings(session, user, tickets)
        for listing, processed in zip(listings, photos, strict=True):
            for photo in processed:
                await photo_service.attach_photo(session, listing, photo, storage=storage)
    except DomainError as error:
        await rollback(session)
        errors = form.refusal(error)
        game = await game_with_areas(session, game_id)
        context = _sell_context(game, [], form, errors, money=money)
        return render(request, "listings/sell.html", context, status_code=errors.status)
    return RedirectResponse(f"/games/{game_id}?sort=newest", status_code=303)
