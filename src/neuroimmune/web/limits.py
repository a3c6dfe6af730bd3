"""Request limits: body size (413) and the number of output points of one simulation or band (422)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException

#: Largest request body accepted, bytes.
MAX_BODY_BYTES = 64 * 1024
#: Largest number of output points (duration / output_step) of one simulation.
MAX_POINTS = 20_000
#: Largest number of output points of the bands of one scenario: every member's course is held while the quantiles
#: are taken (256 members x 19 flat observables x 2,000 points is about 80 MB); the page asks for 400.
MAX_BAND_POINTS = 2_000


class BodySizeLimit:
    """ASGI middleware answering 413 to a body larger than ``max_bytes`` (declared or streamed)."""

    def __init__(self, app: Any, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send, int(declared))
            return
        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(received, self.max_bytes)
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge as exc:
            if not started:
                await self._too_large(send, exc.size)

    async def _too_large(self, send: Any, size: int) -> None:
        body = json.dumps({"detail": [{"field": "body", "rule": f"request body must be at most {self.max_bytes} "
                                       "bytes", "value": f"{size} bytes"}]}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(HTTPException):
    """Raised while the body streams in; FastAPI passes HTTP exceptions through its body parsing."""

    def __init__(self, size: int, max_bytes: int = MAX_BODY_BYTES):
        self.size = size
        super().__init__(413, [{"field": "body", "rule": f"request body must be at most {max_bytes} bytes",
                                "value": f"more than {max_bytes} bytes"}])
