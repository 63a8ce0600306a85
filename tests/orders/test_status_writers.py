"""Only the state machine writes an order's status: no other module of the package assigns
``OrderStatus`` to a ``status`` attribute or passes it as ``status=`` to an UPDATE."""

from __future__ import annotations

import ast
from pathlib import Path

import pitchaseat

PACKAGE = Path(pitchaseat.__file__).parent
STATE_MACHINE = PACKAGE / "orders" / "states.py"
# Model defaults and migrations describe a new row, they do not move an order.
NOT_MOVES = {PACKAGE / "orders" / "models.py"}


def _names_order_status(node: ast.AST) -> bool:
    return any(
        isinstance(part, ast.Name) and part.id in ("OrderStatus", "S") for part in ast.walk(node)
    )


def status_writes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and node.value is not None
                    and _names_order_status(node.value)
                ):
                    lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("values", "ordered_values")
        ):
            lines.extend(
                node.lineno
                for keyword in node.keywords
                if keyword.arg == "status" and _names_order_status(keyword.value)
            )
    return lines


def test_only_the_state_machine_writes_an_orders_status() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): found
        for path in PACKAGE.rglob("*.py")
        if path != STATE_MACHINE
        and path not in NOT_MOVES
        and "migrations" not in path.parts
        and (found := status_writes(ast.parse(path.read_text())))
    }

    assert offenders == {}


def test_the_check_finds_a_status_write() -> None:
    written = ast.parse(
        "order.status = OrderStatus.paid\n"
        "update(Order).values(status=OrderStatus.cancelled)\n"
        "game.status = GameStatus.final\n"
    )

    assert status_writes(written) == [1, 2]
    assert status_writes(ast.parse(STATE_MACHINE.read_text())) != []
