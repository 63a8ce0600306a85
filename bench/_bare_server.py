"""The physical limit: a bare Starlette endpoint serving fixed response bytes.

Run by bench/browse.py as ``python bench/_bare_server.py BODY_FILE`` under uvicorn.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ.get("BARE_BODY_FILE", sys.argv[-1])).read_bytes()


async def serve(request: Request) -> Response:
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/{path:path}", serve)])
