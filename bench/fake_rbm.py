"""A local fake of Google RBM (and of Twilio's Messages API, for the SMS fallback) for benchmarks.

HTTP/1.1 with keep-alive, one thread per connection. It answers the token request of a
service-account key, agentMessages.create and Twilio's Messages.json, and counts what it got:
GET /stats answers {"requests": n, "by_number": {number: distinct message ids}}.

Run alone: .venv/bin/python bench/fake_rbm.py PORT
"""

import json
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

AGENT_MESSAGE = re.compile(r"^/v1/phones/(\+[0-9]+)/agentMessages\?(.*)$")
TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/[^/]+/Messages\.json$")
MESSAGE_ID = re.compile(r"(?:^|&)messageId=([^&]+)")


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.by_number = {}

    def add(self, number, message_id):
        with self.lock:
            self.requests += 1
            self.by_number.setdefault(number, set()).add(message_id)

    def snapshot(self):
        with self.lock:
            return {
                "requests": self.requests,
                "by_number": {number: len(ids) for number, ids in self.by_number.items()},
            }

    def reset(self):
        with self.lock:
            self.requests = 0
            self.by_number = {}


COUNTS = Counts()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/stats":
            return self._answer(200, COUNTS.snapshot())
        return self._answer(404, {"error": {"status": "NOT_FOUND"}})

    def do_POST(self):
        body = self._body()
        if self.path == "/token":
            return self._answer(
                200, {"access_token": "fake", "expires_in": 3600, "token_type": "Bearer"}
            )
        if self.path == "/reset":
            COUNTS.reset()
            return self._answer(200, {})
        match = AGENT_MESSAGE.match(self.path)
        if match:
            message_id = MESSAGE_ID.search(match.group(2))
            COUNTS.add(match.group(1), message_id.group(1) if message_id else "")
            return self._answer(200, {"name": "phones/x/agentMessages/y"})
        if TWILIO_MESSAGES.match(self.path):
            number = (parse_qs(body.decode()).get("To") or [""])[0]
            sid = f"SM{uuid.uuid4().hex}"
            COUNTS.add(number, sid)
            return self._answer(201, {"sid": sid, "status": "queued"})
        return self._answer(404, {"error": {"status": "NOT_FOUND"}})


class Server(ThreadingHTTPServer):
    # The default backlog (5) resets connections when dozens of clients connect at once.
    request_queue_size = 256
    daemon_threads = True


def serve(port):
    Server(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]))
