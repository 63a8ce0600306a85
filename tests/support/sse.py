"""Reading a Server-Sent Events stream in tests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator


async def next_event(lines: AsyncIterator[str]) -> tuple[str, dict[str, object]]:
    """The next (event name, JSON data) from a stream's lines."""
    event = ""
    async for line in lines:
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: ") and event:
            return event, json.loads(line.removeprefix("data: "))
    raise AssertionError("the stream ended")
