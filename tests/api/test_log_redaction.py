"""The console log hides API keys and Authorization credentials a record may carry."""

import io
import logging
import sys

import pytest
from django.conf import settings as django_settings

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
        ("basic authentication refused", "basic authentication refused"),
        ("Token authentification expired", "Token authentification expired"),
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


def test_every_configured_handler_redacts():
    for handler in django_settings.LOGGING["handlers"].values():
        assert "redact_secrets" in handler["filters"]


def console_handlers(logger):
    """The handlers of settings.LOGGING a record of this logger reaches (not pytest's)."""
    while logger is not None:
        yield from (h for h in logger.handlers if type(h) is logging.StreamHandler)
        if not logger.propagate:
            return
        logger = logger.parent


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("django.request", "Not Found: %s"),  # Django's own handlers would skip the filter
        ("django.server", '"GET %s HTTP/1.1" 404 161'),  # runserver's access log
        ("relais", "anything: %s"),
    ],
)
def test_what_reaches_the_console_is_redacted(settings, name, message):
    settings.DEBUG = True  # as under make run, where Django's default handlers also write
    logger = logging.getLogger(name)
    handlers = list(console_handlers(logger))
    assert handlers
    written = io.StringIO()
    streams = [handler.setStream(written) for handler in handlers]
    try:
        extra = {"server_time": "05/Dec/2026 11:14:17", "status_code": 404}
        logger.warning(message, f"/api/v1/messages/{KEY}", extra=extra)
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
    assert "/api/v1/messages/[redacted]" in written.getvalue()
    assert KEY not in written.getvalue()
