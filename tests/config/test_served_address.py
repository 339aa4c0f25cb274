"""Without PUBLIC_BASE_URL, every address Relais builds follows the port it is served on.

`RELAIS_PORT=8102 make run` serves on 8102: status_url, webhook URLs, media URLs and CSRF's
trusted origin say 8102, and the simulator posts to the app's own address. Production is
warned when PUBLIC_BASE_URL is missing, since providers cannot reach localhost.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 50

PRINT_ADDRESSES = """
import json, django
django.setup()
from django.conf import settings
from editor.media_urls import public_url
from sending.services.routing import internal_webhook_url, webhook_url
print(json.dumps({
    "public": settings.PUBLIC_BASE_URL,
    "internal": settings.INTERNAL_BASE_URL,
    "csrf": settings.CSRF_TRUSTED_ORIGINS,
    "hosts": settings.ALLOWED_HOSTS,
    "twilio_webhook": webhook_url("twilio"),
    "simulator_posts_to": internal_webhook_url("simulator"),
    "media": public_url("a.png"),
}))
"""


def run_python(args, tmp_path, **env):
    """Run Python in a fresh interpreter with only the given variables (and PATH, HOME)."""
    clean = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", RELAIS_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def addresses(tmp_path, **env):
    result = run_python(["-c", PRINT_ADDRESSES], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_public_url_every_address_follows_relais_port(tmp_path):
    seen = addresses(tmp_path, DEBUG="true", RELAIS_PORT="8102")
    assert seen == {
        "public": "http://localhost:8102",
        "internal": "http://127.0.0.1:8102",
        "csrf": ["http://localhost:8102"],
        "hosts": ["localhost", "127.0.0.1", "[::1]"],
        "twilio_webhook": "http://localhost:8102/webhooks/twilio/",
        "simulator_posts_to": "http://127.0.0.1:8102/webhooks/simulator/",
        "media": "http://localhost:8102/media/a.png",
    }


def test_a_given_public_url_is_what_providers_are_told_and_the_simulator_stays_inside(tmp_path):
    seen = addresses(
        tmp_path, DEBUG="true", RELAIS_PORT="8102", PUBLIC_BASE_URL="https://relais.example.com"
    )
    assert seen["twilio_webhook"] == "https://relais.example.com/webhooks/twilio/"
    assert seen["media"] == "https://relais.example.com/media/a.png"
    assert seen["simulator_posts_to"] == "http://127.0.0.1:8102/webhooks/simulator/"


def test_a_given_internal_url_is_where_the_simulator_posts(tmp_path):
    seen = addresses(tmp_path, DEBUG="true", INTERNAL_BASE_URL="http://web:8000")
    assert seen["simulator_posts_to"] == "http://web:8000/webhooks/simulator/"
    assert seen["public"] == "http://localhost:8000"


def test_the_internal_address_is_always_an_allowed_host(tmp_path):
    """In production ALLOWED_HOSTS names the public host; the simulator's posts still get in."""
    seen = addresses(
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="relais.example.com",
        PUBLIC_BASE_URL="https://relais.example.com",
    )
    assert seen["hosts"] == ["relais.example.com", "127.0.0.1"]
    ipv6 = addresses(tmp_path, DEBUG="true", ALLOWED_HOSTS="x", INTERNAL_BASE_URL="http://[::1]:80")
    assert ipv6["hosts"] == ["x", "[::1]"]


def test_a_short_link_domain_is_an_allowed_host(tmp_path):
    seen = addresses(
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="relais.example.com",
        PUBLIC_BASE_URL="https://relais.example.com",
        LINK_BASE_URL="https://rl.example/",
    )
    assert seen["hosts"] == ["relais.example.com", "127.0.0.1", "rl.example"]


def test_a_port_that_is_not_a_port_is_refused_by_name(tmp_path):
    result = run_python(["-c", "import config.settings"], tmp_path, DEBUG="true", RELAIS_PORT="80a")
    assert result.returncode != 0
    assert "RELAIS_PORT must be a whole number" in result.stderr


def test_production_without_a_public_url_is_warned(tmp_path):
    result = run_python(["manage.py", "check"], tmp_path, SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "sending.W001" in result.stderr
    assert "PUBLIC_BASE_URL is not set" in result.stderr


def test_production_with_a_public_url_and_development_are_not_warned(tmp_path):
    given = run_python(
        ["manage.py", "check"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        PUBLIC_BASE_URL="https://relais.example.com",
    )
    development = run_python(["manage.py", "check"], tmp_path, DEBUG="true")
    for result in (given, development):
        assert result.returncode == 0, result.stderr
        assert "sending.W001" not in result.stderr + result.stdout
