"""Bad environment values stop start-up with a message that names the variable.

A value that cannot be read fails the import of the settings; a provider that cannot start
with the values given fails the system check (manage.py check, migrate, runserver, rqworker)
and the import of the web entry point (gunicorn runs no system check).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 50
DEV_KEY = "relais-dev-key-do-not-use-in-production"


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly the given variables."""
    return run_python(["-c", "import config.settings"], env)


def load_wsgi(**env):
    """Import the web entry point (what gunicorn loads) in a fresh interpreter."""
    return run_python(["-c", "import config.wsgi"], env)


def check(**env):
    """Run manage.py check in a fresh interpreter with exactly the given variables."""
    return run_python(["manage.py", "check"], env)


def run_python(args, env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "SYSTEMROOT")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
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
    result = load_settings(SECRET_KEY=DEV_KEY)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_dev_secret_key_is_accepted_in_debug():
    assert load_settings(DEBUG="true", SECRET_KEY=DEV_KEY).returncode == 0


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
        ("SIMULATOR_RCS_RATIO", "1.5"),
        ("AXES_FAILURE_LIMIT", "three"),
        ("SENDING_ALLOWED_COUNTRIES", "FR,XX"),
        ("SENDING_HOURLY_CEILINGS", "FR"),
        ("SENDING_HOURLY_CEILINGS", "FR=lots"),
        ("SENDING_HOURLY_CEILINGS", "FR=0"),
        ("CONVERSION_CLICK_WINDOW_DAYS", "0"),
        ("CONVERSION_DELIVERY_WINDOW_HOURS", "a day"),
    ],
)
def test_bad_value_names_the_variable(variable, value):
    result = load_settings(SECRET_KEY=GOOD_KEY, **{variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert variable in last_line


def test_good_environment_passes_the_system_check():
    result = check(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MESSAGING_PROVIDER": "rbm"}, "RBM_AGENT_ID"),
        (
            {"MESSAGING_PROVIDER": "rbm", "RBM_AGENT_ID": "agent", "RBM_CLIENT_TOKEN": "t"},
            "RBM_SERVICE_ACCOUNT_FILE",
        ),
        ({"MESSAGING_PROVIDER": "carrier-pigeon"}, "MESSAGING_PROVIDER"),
        ({"MESSAGING_SMS_PROVIDER": "no.such.Provider"}, "MESSAGING_SMS_PROVIDER"),
        (
            {"MESSAGING_SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": "AC1"},
            "TWILIO_AUTH_TOKEN",
        ),
        (
            {"MESSAGING_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"},
            "TWILIO_SMS_FROM",
        ),
    ],
)
def test_selected_provider_that_cannot_start_fails_the_check_naming_the_variable(env, named):
    # Settings load: the values are readable; the check says the provider cannot start.
    assert load_settings(SECRET_KEY=GOOD_KEY, **env).returncode == 0
    result = check(SECRET_KEY=GOOD_KEY, **env)
    assert result.returncode != 0
    assert "SystemCheckError" in result.stderr
    [error] = [line for line in result.stderr.splitlines() if "(messaging.E00" in line]
    assert named in error
    # gunicorn runs no system check: the web entry point refuses to start by itself.
    web = load_wsgi(SECRET_KEY=GOOD_KEY, **env)
    assert web.returncode != 0
    assert "ImproperlyConfigured" in web.stderr
    assert named in web.stderr.strip().splitlines()[-1]


def test_good_environment_loads_the_web_entry_point():
    result = load_wsgi(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
