"""The Relais-Signature header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">.

Receivers check the HMAC with the endpoint's secret and refuse a timestamp older than
TOLERANCE (docs/webhooks.md has verifiers in several languages). During a secret rotation a
receiver may accept either secret.
"""

import hashlib
import hmac
import time

HEADER = "Relais-Signature"
TOLERANCE = 300


class InvalidSignature(ValueError):
    """The header is missing, unreadable, too old, or signed with another secret."""


def signature(secret, body, timestamp):
    """The hex HMAC-SHA256 of "<timestamp>.<body>" (body: the raw bytes sent)."""
    signed = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header(secret, body, timestamp=None):
    timestamp = int(time.time() if timestamp is None else timestamp)
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(secret, body, value, *, now=None, tolerance=TOLERANCE):
    """Check a Relais-Signature header value; returns its timestamp or raises InvalidSignature."""
    parts = {}
    for item in (value or "").split(","):
        key, _sep, found = item.strip().partition("=")
        parts.setdefault(key, []).append(found)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise InvalidSignature("no timestamp") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = signature(secret, body, timestamp)
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise InvalidSignature("signature mismatch")
    return timestamp
