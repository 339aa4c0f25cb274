"""Helpers for the API tests."""

import base64


def bearer(full_key):
    """The Authorization header that authenticates a request with an API key."""
    return {"Authorization": f"Bearer {full_key}"}


def basic(user, password=""):
    """An HTTP Basic Authorization header (the key as user name, as `curl -u KEY:` sends it)."""
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {credentials}"}
