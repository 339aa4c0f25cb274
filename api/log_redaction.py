"""A logging filter that hides API keys and credentials in records before a handler writes them.

The code never logs a key (tests/support/secret_logs.py fails the suite if it does); this is
the safety net for what a library or a caller puts in a log line, such as a key pasted into a
URL that Django then logs as "Not Found".
"""

import logging
import re

# A key (rl_test_…, rl_live_…), or credentials after an Authorization scheme name: 16 or more
# token characters with a digit, so "basic authentication" or "token expired" stay readable.
SECRET = re.compile(
    r"rl_(?:test|live)_[A-Za-z0-9]+"
    r"|(?i:\b(?:bearer|basic|token|digest)\s+)(?=[A-Za-z0-9+/=._~-]*\d)[A-Za-z0-9+/=._~-]{16,}"
)
REDACTED = "[redacted]"


def redact(text):
    """The text with every API key and Authorization credential replaced."""
    return SECRET.sub(lambda match: _keep_scheme(match.group()), text)


def _keep_scheme(found):
    scheme, space, _credentials = found.partition(" ")
    if space and not found.startswith("rl_"):
        return f"{scheme} {REDACTED}"
    return REDACTED


class RedactSecrets(logging.Filter):
    """Rewrite the record's message (and traceback text) with its secrets hidden."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the formatter's to report
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
