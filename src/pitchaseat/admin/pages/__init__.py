"""The operator console's pages (every one behind ``current_operator``) and the two forms
fans use: reporting a listing and adding evidence to a dispute."""

from __future__ import annotations

from pitchaseat.admin.pages import cases, console, fans, operations

routers = [fans.router, console.router, cases.router, operations.router]

__all__ = ["routers"]
