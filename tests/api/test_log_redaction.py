"""The console log hides API keys and Authorization credentials a record may carry."""

import logging
import sys

import pytest
from django.conf import settings

from api.log_redaction import RedactSecrets, redact

KEY = "rl_live_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"Not Found: /api/v1/messages/{KEY}", "Not Found: /api/v1/messages/[redacted]"),
        (f"Unexpected auth - 'Token {KEY}'", "Unexpected auth - 'Token [redacted]'"),
        ("auth 'Basic cmxfbGl2ZV9BMWIyQzNkNEU1ZjY6'", "auth 'Basic [redacted]'"),
        ("authorization: bearer abcdefgh12345678", "authorization: bearer [redacted]"),
        ("GET /api/v1/messages 401", "GET /api/v1/messages 401"),
        ("the basic plan", "the basic plan"),
    ],
)
def test_redact_hides_keys_and_credentials_only(text, shown):
    assert redact(text) == shown


def test_filter_rewrites_message_arguments_and_traceback():
    try:
        raise ValueError(f"bad key {KEY}")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "auth %s", (KEY,), exc_info)
    assert RedactSecrets().filter(record) is True
    formatted = logging.Formatter().format(record)
    assert KEY not in formatted
    assert "auth [redacted]" in formatted
    assert "ValueError: bad key [redacted]" in formatted


def test_console_handler_uses_the_filter():
    assert "redact_secrets" in settings.LOGGING["handlers"]["console"]["filters"]
