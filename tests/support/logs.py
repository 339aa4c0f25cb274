"""What the application logged during a test, for tests that promise a quiet log."""

import logging


def errors_logged(caplog):
    """The records at ERROR or above, or carrying a traceback, that caplog captured."""
    return [
        record
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info or record.exc_text
    ]
