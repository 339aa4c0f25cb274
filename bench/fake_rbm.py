"""A local fake of Google RBM (and of Twilio's Messages API, for the SMS fallback) for benchmarks.

An aiohttp server on one asyncio loop (HTTP/1.1 keep-alive): the previous `http.server`
version, one thread per connection, topped out at ~590 requests/s on the 2-core machine,
below what the engine was to be measured at, so the ratio to the bare client meant little.
It answers the token request of a service-account key, agentMessages.create and Twilio's
Messages.json, and counts what it got: GET /stats answers
{"requests": n, "by_number": {number: distinct message ids}}.

With FAKE_RBM_UNREACHABLE=P (a percentage), agentMessages.create answers 404 NOT_FOUND, as
RBM does for a phone without RCS, to numbers whose last two digits are below P (not counted
in by_number: the number's SMS is its one message).

Run alone: .venv/bin/python bench/fake_rbm.py PORT
"""

import os
import re
import sys
import uuid
from urllib.parse import parse_qs

from aiohttp import web

AGENT_MESSAGE = re.compile(r"^/v1/phones/(\+[0-9]+)/agentMessages$")
TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/[^/]+/Messages\.json$")


class Counts:
    """What the server received; one event loop, so no lock."""

    def __init__(self):
        self.reset()

    def add(self, number, message_id):
        self.requests += 1
        self.by_number.setdefault(number, set()).add(message_id)

    def snapshot(self):
        return {
            "requests": self.requests,
            "by_number": {number: len(ids) for number, ids in self.by_number.items()},
        }

    def reset(self):
        self.requests = 0
        self.by_number = {}


COUNTS = Counts()
NOT_FOUND = {"error": {"status": "NOT_FOUND"}}
UNREACHABLE_BELOW = int(os.environ.get("FAKE_RBM_UNREACHABLE") or 0)


async def stats(request):
    return web.json_response(COUNTS.snapshot())


async def post(request):
    path = request.path
    match = AGENT_MESSAGE.match(path)
    if match:
        await request.read()
        number = match.group(1)
        if int(number[-2:]) < UNREACHABLE_BELOW:
            COUNTS.requests += 1
            return web.json_response(NOT_FOUND, status=404)
        COUNTS.add(number, request.query.get("messageId", ""))
        return web.json_response({"name": "phones/x/agentMessages/y"})
    if TWILIO_MESSAGES.match(path):
        body = await request.read()
        number = (parse_qs(body.decode()).get("To") or [""])[0]
        sid = f"SM{uuid.uuid4().hex}"
        COUNTS.add(number, sid)
        return web.json_response({"sid": sid, "status": "queued"}, status=201)
    if path == "/token":
        await request.read()
        return web.json_response(
            {"access_token": "fake", "expires_in": 3600, "token_type": "Bearer"}
        )
    if path == "/reset":
        COUNTS.reset()
        return web.json_response({})
    return web.json_response(NOT_FOUND, status=404)


def application():
    app = web.Application()
    app.router.add_get("/stats", stats)
    app.router.add_post("/{tail:.*}", post)
    return app


def serve(port):
    # backlog: dozens of clients connect at once.
    web.run_app(
        application(), host="127.0.0.1", port=port, backlog=1024, print=None, access_log=None
    )


if __name__ == "__main__":
    serve(int(sys.argv[1]))
