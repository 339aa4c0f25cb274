"""The log scanner of tests/support/secret_logs.py finds a key wherever a record carries it,
and fails the test (or the run) that logged it."""

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from api.models import PREFIX_SECRET_CHARACTERS
from tests.factories import make_api_key
from tests.support.api import basic
from tests.support.secret_logs import SecretLogScanner

ROOT = Path(__file__).resolve().parents[2]
KEY = "rl_test_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"


def scanner_knowing(key=KEY):
    scanner = SecretLogScanner()
    scanner.remember_api_key(key, PREFIX_SECRET_CHARACTERS)
    return scanner


def record(msg, *args, exc_info=None, **extra):
    return logging.LogRecord("relais", logging.ERROR, __file__, 1, msg, args, exc_info, **extra)


def raised(text):
    try:
        raise ValueError(text)
    except ValueError:
        return sys.exc_info()


@pytest.mark.parametrize(
    "log",
    [
        record(f"Unexpected auth - 'Token {KEY}'"),
        record("Unexpected auth - %r", f"Bearer {KEY}"),
        record("header %(value)s", {"value": KEY}),
        record("Unexpected auth - %s", basic(KEY)["Authorization"]),
        record("Unexpected auth - %s", basic(KEY, "with-a-password")["Authorization"]),
        record("key %s", KEY.removeprefix("rl_test_")),
        record("request failed", exc_info=raised(f"bad key {KEY}")),
    ],
    ids=["message", "args", "mapping", "basic", "basic-with-password", "bare-secret", "exception"],
)
def test_scanner_finds_the_key_in_any_part_of_a_record(log):
    scanner = scanner_knowing()
    scanner.scan(log)
    [finding] = scanner.findings
    assert finding.logger == "relais"
    assert "<secret>" in finding.text
    assert KEY.removeprefix("rl_test_")[PREFIX_SECRET_CHARACTERS:] not in finding.text


def test_scanner_finds_the_key_in_extra_attributes():
    scanner = scanner_knowing()
    log = record("request")
    log.headers = {"Authorization": f"Bearer {KEY}"}
    scanner.scan(log)
    assert scanner.findings


def test_scanner_lets_the_public_prefix_and_other_keys_through():
    scanner = scanner_knowing()
    scanner.scan(record("key %s used", KEY[: len("rl_test_") + PREFIX_SECRET_CHARACTERS]))
    scanner.scan(record("another key %s", "rl_test_" + "Z" * 32))
    assert scanner.findings == []


def test_scanner_finds_a_setting_secret_but_not_short_ones():
    scanner = SecretLogScanner()
    scanner.remember_secret("sim-Kx8_v2-long-enough-to-be-a-secret")
    scanner.remember_secret("s3cret")
    scanner.scan(record("signed with s3cret"))
    assert scanner.findings == []
    scanner.scan(record("signed with sim-Kx8_v2-long-enough-to-be-a-secret"))
    assert scanner.findings


@pytest.mark.django_db
def test_a_generated_key_logged_by_a_quiet_logger_is_found_and_names_the_test(
    request, secret_log_scanner, caplog
):
    _api_key, full_key = make_api_key()
    # django.server does not propagate to the root logger, where caplog listens.
    logging.getLogger("django.server").error("Unexpected auth - 'Token %s'", full_key)
    # Taken back, so this test, which leaks on purpose, does not fail.
    [finding] = secret_log_scanner.take_findings(request.node.nodeid)
    assert finding.test == request.node.nodeid
    assert finding.logger == "django.server"
    assert full_key not in finding.text


LEAKING_TESTS = """
import logging

from tests.support.secret_logs import SCANNER

KEY = "{key}"
SCANNER.remember_api_key(KEY, 6)
{module_level}

def test_quiet():
    logging.getLogger("relais").error("nothing secret here")


def test_leaky():
    {in_test}
"""


@pytest.mark.parametrize(
    ("module_level", "in_test", "named"),
    [
        ("", 'logging.getLogger("django.request").error("auth %s", KEY)', "test_leaky"),
        ('logging.getLogger("relais").warning("key %s", KEY)', "pass", "(outside any test)"),
    ],
    ids=["in-a-test", "outside-tests"],
)
def test_a_run_whose_log_carries_a_key_fails_naming_where(tmp_path, module_level, in_test, named):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_leak.py").write_text(
        textwrap.dedent(LEAKING_TESTS).format(key=KEY, module_level=module_level, in_test=in_test)
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.support.secret_logs",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-c",
            str(tmp_path / "pytest.ini"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_leak.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert named in result.stdout
    assert "secret" in result.stdout
    assert KEY not in result.stdout + result.stderr
