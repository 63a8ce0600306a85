"""Real parks: the Taipei Dome and the secondary parks, each park's own seat areas (zone,
deck level, side of the field, typical face value), and the clubs' short names.

Seat-area codes are internal identifiers that API clients and reservations already hold, so
a code a park keeps (``infield_1b``...) keeps its row and only takes the park's real name;
a generic area a park does not have is folded into the nearest real one (listings and
reservations move with it) and then removed.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the reference data as of this revision; later changes get their own migration.
NEW_STADIUMS = [
    ("TPD", "臺北大巨蛋", "Taipei Dome", "臺北市", "Taipei"),
    ("HUA", "花蓮縣立德興棒球場", "Hualien Dexing Baseball Stadium", "花蓮縣", "Hualien"),
    ("CYI", "嘉義市立棒球場", "Chiayi City Baseball Stadium", "嘉義市", "Chiayi City"),
    ("CYC", "嘉義縣棒球場", "Chiayi County Baseball Stadium", "嘉義縣", "Chiayi County"),
    ("DLU", "斗六棒球場", "Douliu Baseball Stadium", "雲林縣", "Yunlin"),
    ("LTG", "羅東運動公園棒球場", "Luodong Sports Park Baseball Field", "宜蘭縣", "Yilan"),
    ("ATP", "亞太國際棒球訓練中心", "Asia-Pacific Baseball Training Center", "臺南市", "Tainan"),
]

# fmt: off
# (code, name_zh, name_en, zone, level, side, typical face value in NT$), in map order.
# Sides: home (behind the plate), first, third, left, right, center; level 2 is an upper deck.
_SMALL_PARK = [
    ("home_plate", "本壘後方", "Behind Home Plate", "premium", 1, "home", 600),
    ("infield_1b", "一壘內野", "First-Base Infield", "infield", 1, "first", 400),
    ("infield_3b", "三壘內野", "Third-Base Infield", "infield", 1, "third", 400),
    ("outfield_left", "左外野草皮", "Left-Field Lawn", "outfield", 1, "left", 250),
    ("outfield_right", "右外野草皮", "Right-Field Lawn", "outfield", 1, "right", 250),
]
PARK_AREAS: dict[str, list[tuple[str, str, str, str, int, str, int]]] = {
    "TPD": [
        ("home_plate", "本壘後方貴賓席", "Behind-Plate Premium", "premium", 1, "home", 2000),
        ("infield_1b_field", "一壘內野搖滾區", "First-Base Field Box", "premium", 1, "first", 1500),
        ("infield_1b", "一壘內野一樓", "First-Base Infield, Level 1", "infield", 1, "first", 1200),
        ("infield_3b", "三壘內野一樓", "Third-Base Infield, Level 1", "infield", 1, "third", 1200),
        ("infield_3b_field", "三壘內野搖滾區", "Third-Base Field Box", "premium", 1, "third", 1500),
        ("home_upper", "本壘後方二樓", "Behind-Plate Level 2", "infield", 2, "home", 1000),
        ("infield_1b_upper", "一壘內野二樓", "First-Base Level 2", "infield", 2, "first", 800),
        ("infield_3b_upper", "三壘內野二樓", "Third-Base Level 2", "infield", 2, "third", 800),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 500),
        ("outfield_center", "中外野", "Center Field", "outfield", 1, "center", 400),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 500),
    ],
    "TCH": [
        ("home_plate", "本壘後方VIP席", "Behind-Plate VIP", "premium", 1, "home", 1500),
        ("infield_1b_hot", "一壘熱區", "First-Base Cheering Zone", "infield", 1, "first", 800),
        ("infield_1b", "一壘內野下層", "First-Base Lower Infield", "infield", 1, "first", 650),
        ("infield_3b", "三壘內野下層", "Third-Base Lower Infield", "infield", 1, "third", 650),
        ("infield_3b_hot", "三壘熱區", "Third-Base Cheering Zone", "infield", 1, "third", 800),
        ("infield_1b_upper", "一壘內野上層", "First-Base Upper Deck", "infield", 2, "first", 500),
        ("infield_3b_upper", "三壘內野上層", "Third-Base Upper Deck", "infield", 2, "third", 500),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 350),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 350),
    ],
    "TNN": [
        ("home_plate", "鑽石席", "Diamond Seats", "premium", 1, "home", 1200),
        ("home_gold", "黃金席", "Gold Seats", "premium", 1, "home", 900),
        ("infield_1b", "一壘內野搖滾區", "First-Base Rock Zone", "infield", 1, "first", 600),
        ("infield_1b_couple", "一壘情人席", "First-Base Couple Seats", "infield", 1, "first", 700),
        ("infield_3b", "三壘內野", "Third-Base Infield", "infield", 1, "third", 500),
        ("infield_3b_family", "三壘家庭席", "Third-Base Family Seats", "infield", 1, "third", 550),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 300),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 300),
    ],
    "TYN": [
        ("home_plate", "本壘後方貴賓席", "Behind-Plate Premium", "premium", 1, "home", 1200),
        ("infield_1b_hot", "一壘熱區", "First-Base Hot Zone", "infield", 1, "first", 800),
        ("infield_1b", "一壘內野", "First-Base Infield", "infield", 1, "first", 600),
        ("infield_3b", "三壘內野", "Third-Base Infield", "infield", 1, "third", 600),
        ("infield_3b_hot", "三壘熱區", "Third-Base Hot Zone", "infield", 1, "third", 800),
        ("infield_1b_upper", "一壘內野上層", "First-Base Upper Deck", "infield", 2, "first", 450),
        ("infield_3b_upper", "三壘內野上層", "Third-Base Upper Deck", "infield", 2, "third", 450),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 350),
        ("outfield_center", "中外野家庭區", "Center-Field Family Area", "outfield", 1, "center", 400),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 350),
    ],
    "XZG": [
        ("home_plate", "本壘後方VIP席", "Behind-Plate VIP", "premium", 1, "home", 1400),
        ("infield_1b_hot", "一壘應援熱區", "First-Base Cheering Zone", "infield", 1, "first", 750),
        ("infield_1b", "一壘內野", "First-Base Infield", "infield", 1, "first", 600),
        ("infield_3b", "三壘內野", "Third-Base Infield", "infield", 1, "third", 550),
        ("infield_1b_upper", "一壘內野上層", "First-Base Upper Deck", "infield", 2, "first", 450),
        ("infield_3b_upper", "三壘內野上層", "Third-Base Upper Deck", "infield", 2, "third", 450),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 300),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 300),
    ],
    "TMU": [
        ("home_plate", "本壘後方", "Behind Home Plate", "premium", 1, "home", 1000),
        ("infield_1b", "一壘內野", "First-Base Infield", "infield", 1, "first", 550),
        ("infield_1b_hot", "一壘熱區", "First-Base Hot Zone", "infield", 1, "first", 700),
        ("infield_3b", "三壘內野", "Third-Base Infield", "infield", 1, "third", 500),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 300),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 300),
    ],
    "CCL": [
        ("home_plate", "本壘後方貴賓席", "Behind-Plate Premium", "premium", 1, "home", 1200),
        ("infield_1b", "一壘內野", "First-Base Infield", "infield", 1, "first", 550),
        ("infield_1b_hot", "一壘熱區", "First-Base Hot Zone", "infield", 1, "first", 700),
        ("infield_3b", "三壘內野", "Third-Base Infield", "infield", 1, "third", 550),
        ("infield_1b_upper", "一壘內野上層", "First-Base Upper Deck", "infield", 2, "first", 400),
        ("infield_3b_upper", "三壘內野上層", "Third-Base Upper Deck", "infield", 2, "third", 400),
        ("outfield_right", "右外野", "Right Field", "outfield", 1, "right", 300),
        ("outfield_left", "左外野", "Left Field", "outfield", 1, "left", 300),
    ],
    **dict.fromkeys(("HUA", "CYI", "CYC", "DLU", "LTG", "ATP"), _SMALL_PARK),
}
# fmt: on
# Where a generic area a park does not have goes: the same side of the field, one deck down.
FOLD_INTO = {"infield_1b_upper": "infield_1b", "infield_3b_upper": "infield_3b"}
# (code, short name zh, short name en, colour): the names fans use in a crowded calendar.
TEAM_SHORT_NAMES = [
    ("CTBC", "兄弟", "Brothers", "#F2B705"),
    ("UL", "統一", "Lions", "#F26B1D"),
    ("RM", "樂天", "Monkeys", "#8A1538"),
    ("FG", "富邦", "Guardians", "#0B4EA2"),
    ("WD", "味全", "Dragons", "#D7192D"),
    ("TSG", "台鋼", "Hawks", "#0F5C3E"),
]


def _add_columns() -> None:
    with op.batch_alter_table("seat_areas") as batch:
        batch.add_column(sa.Column("level", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(
            sa.Column("side", sa.String(length=8), nullable=False, server_default="home")
        )
        batch.add_column(
            sa.Column("face_value", sa.Integer(), nullable=False, server_default="500")
        )
    with op.batch_alter_table("teams") as batch:
        batch.add_column(
            sa.Column("short_name_zh", sa.String(length=8), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("short_name_en", sa.String(length=12), nullable=False, server_default="")
        )


def _stadium_ids(bind: sa.Connection) -> dict[str, int]:
    return {code: id_ for code, id_ in bind.execute(sa.text("SELECT code, id FROM stadiums"))}


def _area_ids(bind: sa.Connection, stadium_id: int) -> dict[str, int]:
    rows = bind.execute(
        sa.text("SELECT code, id FROM seat_areas WHERE stadium_id = :stadium"),
        {"stadium": stadium_id},
    )
    return {code: id_ for code, id_ in rows}


def _write_areas(bind: sa.Connection, stadium_id: int, areas: list[tuple]) -> None:  # type: ignore[type-arg]
    existing = _area_ids(bind, stadium_id)
    for order, (code, zh, en, zone, level, side, face) in enumerate(areas):
        values = {
            "stadium": stadium_id,
            "code": code,
            "zh": zh,
            "en": en,
            "zone": zone,
            "level": level,
            "side": side,
            "face": face,
            "sort": order,
        }
        if code in existing:
            bind.execute(
                sa.text(
                    "UPDATE seat_areas SET name_zh = :zh, name_en = :en, zone = :zone,"
                    " level = :level, side = :side, face_value = :face, sort_order = :sort"
                    " WHERE stadium_id = :stadium AND code = :code"
                ),
                values,
            )
        else:
            bind.execute(
                sa.text(
                    "INSERT INTO seat_areas"
                    " (stadium_id, code, name_zh, name_en, zone, level, side, face_value,"
                    " sort_order)"
                    " VALUES (:stadium, :code, :zh, :en, :zone, :level, :side, :face, :sort)"
                ),
                values,
            )


def _fold(bind: sa.Connection, old_id: int, new_id: int) -> None:
    """Moves everything on area ``old_id`` to ``new_id``, then removes ``old_id``."""
    ids = {"old": old_id, "new": new_id}
    bind.execute(sa.text("UPDATE listings SET seat_area_id = :new WHERE seat_area_id = :old"), ids)
    # A reservation may already name the target area: keep one row per reservation.
    bind.execute(
        sa.text(
            "INSERT INTO reservation_seat_areas (reservation_id, seat_area_id)"
            " SELECT r.reservation_id, :new FROM reservation_seat_areas r"
            " WHERE r.seat_area_id = :old AND NOT EXISTS ("
            " SELECT 1 FROM reservation_seat_areas t"
            " WHERE t.reservation_id = r.reservation_id AND t.seat_area_id = :new)"
        ),
        ids,
    )
    bind.execute(sa.text("DELETE FROM reservation_seat_areas WHERE seat_area_id = :old"), ids)
    bind.execute(sa.text("DELETE FROM seat_areas WHERE id = :old"), ids)


def upgrade() -> None:
    _add_columns()
    bind = op.get_bind()
    for code, zh, en, city_zh, city_en in NEW_STADIUMS:
        bind.execute(
            sa.text(
                "INSERT INTO stadiums (code, name_zh, name_en, city_zh, city_en)"
                " VALUES (:code, :zh, :en, :city_zh, :city_en)"
            ),
            {"code": code, "zh": zh, "en": en, "city_zh": city_zh, "city_en": city_en},
        )
    stadium_ids = _stadium_ids(bind)
    for park, areas in PARK_AREAS.items():
        stadium_id = stadium_ids[park]
        _write_areas(bind, stadium_id, areas)
        kept = {area[0] for area in areas}
        current = _area_ids(bind, stadium_id)
        for code, area_id in current.items():
            if code not in kept:
                _fold(bind, area_id, current[FOLD_INTO.get(code, "infield_1b")])
    for code, short_zh, short_en, color in TEAM_SHORT_NAMES:
        bind.execute(
            sa.text(
                "UPDATE teams SET short_name_zh = :zh, short_name_en = :en, color = :color"
                " WHERE code = :code"
            ),
            {"code": code, "zh": short_zh, "en": short_en, "color": color},
        )


def downgrade() -> None:
    # The new parks and areas stay valid rows under the older schema; only columns go.
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("short_name_en")
        batch.drop_column("short_name_zh")
    with op.batch_alter_table("seat_areas") as batch:
        batch.drop_column("face_value")
        batch.drop_column("side")
        batch.drop_column("level")
