"""Settings refuse bad environment values with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 50


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly the given variables."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "SYSTEMROOT")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_good_environment_loads():
    result = load_settings(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


def test_dev_secret_key_is_refused_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_dev_secret_key_is_accepted_in_debug():
    assert load_settings(DEBUG="true").returncode == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "not-a-url"),
        ("DATABASE_URL", "mysql://root@localhost/relais"),
        ("REDIS_URL", "http://localhost:6379"),
        ("LANGUAGE_CODE", "de"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("PUBLIC_BASE_URL", "relais.example.com"),
        ("MESSAGING_PROVIDER", "rbm"),
        ("SIMULATOR_RCS_RATIO", "1.5"),
        ("AXES_FAILURE_LIMIT", "three"),
    ],
)
def test_bad_value_names_the_variable(variable, value):
    result = load_settings(SECRET_KEY=GOOD_KEY, **{variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert variable in last_line


def test_selected_provider_names_its_missing_setting():
    result = load_settings(
        SECRET_KEY=GOOD_KEY, MESSAGING_PROVIDER="rbm", RBM_AGENT_ID="agent", RBM_CLIENT_TOKEN="t"
    )
    assert "RBM_SERVICE_ACCOUNT_FILE" in result.stderr.strip().splitlines()[-1]
