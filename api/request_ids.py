"""A Request-Id on every response, in the log records of the request and in problem+json bodies.

The caller may send its own (`Request-Id` or `X-Request-Id`, as a proxy or a client library
sets it) so that its logs and ours name the request the same way; one that is not a sane token
(too long, spaces, control characters) is replaced by one we make, never echoed.
"""

import logging
import re
import uuid

from jobs import tracing

HEADER = "Request-Id"
INCOMING_HEADERS = ("Request-Id", "X-Request-Id")
# Letters, digits and a few separators, as UUIDs, ULIDs and proxies' ids are written.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,127}")
NONE = "-"


def current():
    """The id of the request being answered (or of the request a job runs for), or None."""
    return tracing.current()


def from_request(request):
    """The caller's id when it is a sane token, else a new one ("req_" and 32 hex digits)."""
    for name in INCOMING_HEADERS:
        value = request.headers.get(name, "").strip()
        if value and SANE.fullmatch(value):
            return value
    return f"req_{uuid.uuid4().hex}"


class RequestIdMiddleware:
    """Give each request its id, and every response the Request-Id header (and, for an API
    call that spent a rate-limit budget, the RateLimit-* headers of that budget)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = from_request(request)
        request.request_id = request_id
        # Kept until the response is closed (clear(), on request_finished), so that Django's
        # own "Not Found" or error line, written after the middleware, carries it too; the jobs
        # enqueued meanwhile carry it into the workers (jobs.tracing).
        tracing.set_current(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        state = getattr(request, "rate_limit", None)
        if state is not None:
            for name, value in state.headers().items():
                response.setdefault(name, value)
        return response


def clear(**kwargs):
    """Forget the finished request's id (a request_finished receiver)."""
    tracing.set_current(None)


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id` attribute: the request's id (in a worker, the id of the
    request that enqueued the job), or "-" outside one."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current() or NONE
        return True
