"""Shared helpers for provider tests: recorded payloads and a fixed attempt id."""

import json
from pathlib import Path
from uuid import UUID

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# The attempt id the recorded RBM payloads refer to.
ATTEMPT_ID = UUID("5f3c2a1e-8b7d-4c6e-9f01-23456789abcd")


def fixture_bytes(provider, name):
    """Return a recorded payload as bytes, without the file's final newline."""
    return (FIXTURES / provider / name).read_bytes().rstrip(b"\n")


def fixture_json(provider, name):
    return json.loads(fixture_bytes(provider, name))
