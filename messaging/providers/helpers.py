"""Small helpers the providers share: parsing, pacing, HTTP error details."""

import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from uuid import UUID

# Our postbackData defaults to the suggestion's ctaId (see messaging/content.py).
CTA_ID_RE = re.compile(r"^cta_[A-Za-z0-9_-]{1,40}$")
# No provider nests its payloads more than a few levels; refusing deeper JSON keeps the parser
# and every walker over a stored payload far from Python's recursion limit.
MAX_JSON_DEPTH = 32
# A JSON string, escapes included: brackets inside strings do not nest anything.
_JSON_STRING_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_OPENING = frozenset(b"[{")


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    """Whether JSON bytes open more than `limit` arrays or objects inside one another."""
    brackets = _JSON_STRING_RE.sub(b"", data).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        depth += 1 if byte in _OPENING else -1
        if depth > limit:
            return True
    return False


def load_json(data: bytes | str, *, max_depth: int = MAX_JSON_DEPTH):
    """Parse JSON, raising ValueError for invalid JSON or JSON nested deeper than max_depth."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if json_depth_exceeds(raw, max_depth):
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return json.loads(raw)


def as_text(value):
    """A JSON value where text is expected: a string as is, a number as written, else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parse_timestamp(value):
    """Parse an RFC 3339 timestamp (nanoseconds allowed) into an aware datetime, or None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        # Times are stored in UTC: one whose UTC date is outside years 1–9999 cannot be.
        parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return parsed


def parse_uuid(value):
    """Return the value as a UUID, or None when it is not one."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None


def cta_id_from_postback(postback):
    """Return the ctaId a postbackData carries, or None for postbacks we did not write."""
    if isinstance(postback, str) and CTA_ID_RE.match(postback):
        return postback
    return None


def retry_after_seconds(response):
    """Read a Retry-After header (seconds or HTTP date) as seconds, or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int((when - datetime.now(UTC)).total_seconds()))


def chunked(items, size) -> Iterator[list]:
    """Yield lists of at most `size` items, in order."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Pacer:
    """Spaces calls at least 60/per_minute seconds apart within this process."""

    def __init__(self, per_minute, *, clock=time.monotonic, sleep=time.sleep):
        self.interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._next_at = None
        self._lock = threading.Lock()

    def wait(self):
        # The lock is held while sleeping on purpose: threads queue up one interval apart.
        with self._lock:
            now = self._clock()
            if self._next_at is not None and now < self._next_at:
                self._sleep(self._next_at - now)
                now = self._next_at
            self._next_at = now + self.interval


def response_json(response) -> dict[str, Any]:
    """Return a response's JSON object, or an empty dict when it has none."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"value": data}
