"""What an edge-cached route is: a path, its route template, and how a request maps to the
cache entry that holds its response bytes. Domains declare them; the web layer serves them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# (group, field) of the cache entry for a request, or None to let the route decide.
Locator = Callable[[re.Match[str], bytes], tuple[str, str] | None]


@dataclass(frozen=True)
class EdgeRoute:
    path: re.Pattern[str]
    template: str
    locate: Locator
