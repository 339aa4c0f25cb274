"""A pytest plugin that fails the test (or the run) during which a log record carried a secret.

It remembers the secret of every API key generated in the run (by wrapping
ApiKey.set_new_secret) and the secrets found in the settings, and reads every log record any
logger handles, whatever the handlers, levels or `propagate` of Django's LOGGING or caplog:
it wraps logging.Logger.handle itself. A record whose message, arguments, extra attributes or
exception text holds a secret fails the test that logged it, at its teardown; one logged
outside any test fails the run at its end. The failure names the logger and shows the record
with the secret masked, so the report never leaks it either.
"""

import base64
import dataclasses
import logging
import re

import pytest

# The settings whose values are secrets; test overrides of them are remembered too.
SECRET_SETTINGS = (
    "SECRET_KEY",
    "SIMULATOR_WEBHOOK_SECRET",
    "RBM_CLIENT_TOKEN",
    "TWILIO_AUTH_TOKEN",
)
# Shorter settings values ("s3cret" in a unit test) would be found in unrelated text.
MIN_SETTING_SECRET = 16
# API key secrets are looked up as fixed-length windows of runs of these characters (the key's
# alphabet and base64's), so a record costs the same whatever the number of keys.
WINDOW = 24
_RUN = re.compile(rf"[A-Za-z0-9+/]{{{WINDOW},}}")
# Attributes every LogRecord has; the others are the `extra` a call passed.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


@dataclasses.dataclass(frozen=True)
class Finding:
    test: str
    logger: str
    level: str
    text: str

    def describe(self):
        return f"{self.level} {self.logger}: {self.text}"


class SecretLogScanner:
    """Remembers secrets and finds them in log records."""

    def __init__(self):
        self.windows = set()
        self.plain = set()
        self.current_test = "(outside any test)"
        self.findings = []

    def remember_api_key(self, full_key, public_characters):
        """Remember a key's secret part: the characters after its public prefix, and the
        base64 of the key as an HTTP Basic header carries it."""
        _rl, _mode, secret = full_key.split("_", 2)
        hidden = secret[public_characters:]
        if len(hidden) >= WINDOW:
            self.windows.add(hidden[:WINDOW])
        # base64 encodes 3 bytes as 4 characters: the encoding of the key's first whole groups
        # is the same whatever follows it in "key:password". Its first 16 characters encode
        # "rl_test_" and public characters; the window after them encodes the hidden ones.
        encoded = base64.b64encode(full_key.encode()).decode()
        whole = len(full_key) // 3 * 4
        if whole - 16 >= WINDOW:
            self.windows.add(encoded[16 : 16 + WINDOW])

    def remember_secret(self, value):
        """Remember a secret to find verbatim (a setting's value)."""
        if isinstance(value, str | bytes) and len(value) >= MIN_SETTING_SECRET:
            self.plain.add(value.decode(errors="replace") if isinstance(value, bytes) else value)

    def scan(self, record):
        """Remember a Finding when the record holds a secret."""
        text = record_text(record)
        masked = self.mask(text)
        if masked != text:
            if len(masked) > 500:
                masked = masked[:500] + "…"
            self.findings.append(Finding(self.current_test, record.name, record.levelname, masked))

    def mask(self, text):
        """The text with every secret hidden (a key's whole word), for a failure report."""
        for secret in self.plain:
            text = text.replace(secret, "<secret>")
        return _RUN.sub(self._mask_word, text)

    def _mask_word(self, run):
        word = run.group()
        for start in range(len(word) - WINDOW + 1):
            if word[start : start + WINDOW] in self.windows:
                return "<secret>"
        return word

    def take_findings(self, test=None):
        """Remove and return the findings (of one test, or all)."""
        taken = [f for f in self.findings if test is None or f.test == test]
        self.findings = [f for f in self.findings if f not in taken]
        return taken


def record_text(record):
    """Everything a handler could write about a record, as one text."""
    try:
        parts = [record.getMessage()]
    except Exception:  # a bad format string still gets its parts read
        parts = [str(record.msg)]
    parts.append(repr(record.args))
    if record.exc_info and record.exc_info[0] is not None:
        parts.append(logging.Formatter().formatException(record.exc_info))
    parts.extend(filter(None, (record.exc_text, record.stack_info)))
    parts.extend(
        str(value) for name, value in vars(record).items() if name not in _STANDARD_ATTRIBUTES
    )
    return "\n".join(parts)


SCANNER = SecretLogScanner()
_original_handle = logging.Logger.handle


def _scanning_handle(self, record):
    SCANNER.scan(record)
    return _original_handle(self, record)


def pytest_configure(config):
    logging.Logger.handle = _scanning_handle


def pytest_unconfigure(config):
    logging.Logger.handle = _original_handle


def pytest_sessionstart(session):
    from django.apps import apps

    if apps.ready:  # Django is set up (pytest-django did it, or this run has no Django)
        _watch_django()


def _watch_django():
    from django.conf import settings
    from django.test.signals import setting_changed

    from api.models import PREFIX_SECRET_CHARACTERS, ApiKey

    original = ApiKey.set_new_secret

    def set_new_secret(self):
        full_key = original(self)
        SCANNER.remember_api_key(full_key, PREFIX_SECRET_CHARACTERS)
        return full_key

    ApiKey.set_new_secret = set_new_secret
    for name in SECRET_SETTINGS:
        SCANNER.remember_secret(getattr(settings, name, ""))

    def on_setting_changed(setting, value, enter, **kwargs):
        if enter and setting in SECRET_SETTINGS:
            SCANNER.remember_secret(value)

    setting_changed.connect(on_setting_changed, weak=False)


@pytest.fixture
def secret_log_scanner():
    """The scanner; a test that logs a secret on purpose takes its findings back."""
    return SCANNER


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid, location):
    SCANNER.current_test = nodeid


def pytest_runtest_logfinish(nodeid, location):
    SCANNER.current_test = "(outside any test)"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "teardown":
        findings = SCANNER.take_findings(item.nodeid)
        if findings:
            report.outcome = "failed"
            report.longrepr = "A log record of this test carried a secret:\n" + "\n".join(
                finding.describe() for finding in findings
            )
            # pytest shows the captured log of a failed test: mask it there too.
            report.sections = [(title, SCANNER.mask(text)) for title, text in report.sections]
    return report


def pytest_sessionfinish(session, exitstatus):
    if SCANNER.findings and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if SCANNER.findings:
        terminalreporter.section("secrets in the log", red=True)
        for finding in SCANNER.findings:
            terminalreporter.line(f"{finding.test}: {finding.describe()}")
