"""A local HTTP server that records requests and answers from a queue of canned responses."""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class RecordedRequest:
    """One request the stub received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def header(self, name):
        """Return a header case-insensitively, or None."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)

    def form(self):
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)


@dataclass
class CannedResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class StubServer:
    """Threaded HTTP server on 127.0.0.1 with a random port; use as a context manager."""

    def __init__(self):
        self.requests: list[RecordedRequest] = []
        self._responses: deque[CannedResponse] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll interval keeps shutdown (once per test) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reply(self, status=200, body=b"", headers=None, delay=0.0):
        """Queue a raw response for the next request."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._responses.append(CannedResponse(status, body, dict(headers or {}), delay))

    def reply_json(self, data, status=200, headers=None, delay=0.0):
        """Queue a JSON response for the next request."""
        headers = {"Content-Type": "application/json", **(headers or {})}
        self.reply(status, json.dumps(data).encode("utf-8"), headers, delay)

    @property
    def last(self) -> RecordedRequest:
        return self.requests[-1]

    def _handler_class(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                recorded = RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers=dict(self.headers.items()),
                    body=body,
                )
                with stub._lock:
                    stub.requests.append(recorded)
                    canned = stub._responses.popleft() if stub._responses else None
                if canned is None:
                    canned = CannedResponse(599, b"stub server: no canned response queued")
                if canned.delay:
                    time.sleep(canned.delay)
                try:
                    self.send_response(canned.status)
                    for name, value in canned.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(canned.body)))
                    self.end_headers()
                    self.wfile.write(canned.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, format, *args):
                pass

        return Handler
