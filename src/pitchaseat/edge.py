"""What an edge-served route is: a path, its route template, how a request maps to the cache
entry that holds its response bytes, and how to compute those bytes without the framework.
Domains declare them; the web layer serves them."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

# (group, field) of the cache entry for a request, or None to let the route decide.
Locator = Callable[[re.Match[str], bytes], tuple[str, str] | None]
# The response bytes for a request the route would accept, computed from the app's services
# (the composition root's AppServices; each domain names what it uses in a Protocol), or None
# to let the route decide.
Computer = Callable[[Any, re.Match[str], bytes], Awaitable[bytes | None]]


@dataclass(frozen=True)
class EdgeRoute:
    path: re.Pattern[str]
    template: str
    locate: Locator
    compute: Computer | None = None
