"""Helpers for the API tests."""


def bearer(full_key):
    """The Authorization header that authenticates a request with an API key."""
    return {"Authorization": f"Bearer {full_key}"}
