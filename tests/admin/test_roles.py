"""The operator role by command line, and the audit log's promise: nothing edits an entry."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from pitchaseat.accounts.models import User
from pitchaseat.cli import main
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.settings import get_settings
from tests.test_cli import embedded  # noqa: F401  (the fixture)

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "pitchaseat"


async def _is_operator(email: str) -> bool:
    engine = create_engine(get_settings().effective_database_url)
    async with create_session_factory(engine)() as session:
        flag = await session.scalar(select(User.is_operator).where(User.email == email))
    await engine.dispose()
    return bool(flag)


def test_grant_and_revoke_operator_by_email(embedded: Path) -> None:  # noqa: F811
    assert main(["demo"]) == 0
    email = "Seller@Demo.PitchASeat.tw"

    assert main(["users", "grant-operator", email]) == 0
    granted = asyncio.run(_is_operator(email.lower()))
    assert main(["users", "revoke-operator", email]) == 0
    revoked = asyncio.run(_is_operator(email.lower()))
    unknown = main(["users", "grant-operator", "nobody@example.com"])

    assert (granted, revoked, unknown) == (True, False, 1)


def test_no_code_updates_or_deletes_an_audit_entry() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("update", "delete")
                and any(isinstance(arg, ast.Name) and arg.id == "AuditEntry" for arg in node.args)
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    text = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))

    assert offenders == []
    assert "session.delete(entry" not in text and "audit_log SET" not in text


@pytest.mark.parametrize("path", ["admin/audit.py"])
def test_the_audit_module_only_adds_and_reads(path: str) -> None:
    source = (PACKAGE / path).read_text(encoding="utf-8")

    assert "update(" not in source and "delete(" not in source
