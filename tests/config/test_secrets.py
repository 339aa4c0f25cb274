"""Each installation has its own random secrets, kept in var/secrets.json (0600) unless the
environment gives them; every process of the installation reads the same ones."""

import json
import stat
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import installation_secrets
from tests.support.fresh_process import python, start_python

NAMES = ["SECRET_KEY", "SIMULATOR_WEBHOOK_SECRET"]
PRINT_SECRETS = (
    "from config import settings; print(settings.SECRET_KEY, settings.SIMULATOR_WEBHOOK_SECRET)"
)
GOOD_KEY = "k" * 50


def start(var_dir, **env):
    """Load the settings in a fresh interpreter, as a server (DEBUG unset) would."""
    return python(["-c", PRINT_SECRETS], RELAIS_VAR_DIR=str(var_dir), **env)


def secrets_of(result):
    assert result.returncode == 0, result.stderr
    secret_key, simulator_secret = result.stdout.split()
    return secret_key, simulator_secret


def test_first_start_creates_the_secrets_file_readable_by_its_owner_only(tmp_path):
    secret_key, simulator_secret = secrets_of(start(tmp_path))
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {
        "SECRET_KEY": secret_key,
        "SIMULATOR_WEBHOOK_SECRET": simulator_secret,
    }
    assert len(secret_key) >= 50
    assert simulator_secret != secret_key
    # Not derived from the key any more: nothing public leads to it.
    assert secret_key not in simulator_secret


def test_two_installations_get_different_secrets(tmp_path):
    first = secrets_of(start(tmp_path / "one"))
    second = secrets_of(start(tmp_path / "two"))
    assert set(first).isdisjoint(second)


def test_next_start_reuses_the_same_secrets(tmp_path):
    assert secrets_of(start(tmp_path)) == secrets_of(start(tmp_path))


def test_environment_wins_and_is_not_written(tmp_path):
    secret_key, simulator_secret = secrets_of(start(tmp_path, SECRET_KEY=GOOD_KEY))
    assert secret_key == GOOD_KEY
    assert json.loads((tmp_path / "secrets.json").read_text()) == {
        "SIMULATOR_WEBHOOK_SECRET": simulator_secret
    }


def test_no_file_when_the_environment_gives_every_secret(tmp_path):
    result = start(tmp_path, SECRET_KEY=GOOD_KEY, SIMULATOR_WEBHOOK_SECRET="w" * 40)
    assert secrets_of(result) == (GOOD_KEY, "w" * 40)
    assert not (tmp_path / "secrets.json").exists()


def test_a_secret_added_later_keeps_the_ones_kept(tmp_path):
    _secret_key, simulator_secret = secrets_of(start(tmp_path, SECRET_KEY=GOOD_KEY))
    secret_key, again = secrets_of(start(tmp_path))
    assert again == simulator_secret
    assert secrets_of(start(tmp_path)) == (secret_key, simulator_secret)


def test_processes_starting_at_once_agree(tmp_path):
    processes = [
        start_python(["-c", PRINT_SECRETS], RELAIS_VAR_DIR=str(tmp_path)) for _ in range(4)
    ]
    outputs = set()
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        outputs.add(stdout)
    assert len(outputs) == 1


def test_threads_racing_to_create_the_file_agree(tmp_path):
    path = tmp_path / "secrets.json"
    barrier = threading.Barrier(8)
    results = []

    def race():
        barrier.wait()
        results.append(installation_secrets.load(path, NAMES))

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(result == results[0] for result in results)
    assert json.loads(path.read_text()) == results[0]


@pytest.mark.parametrize(
    "content",
    ["", "{not json", '["a list"]', '{"SECRET_KEY": 42}', '{"SECRET_KEY": "short"}'],
    ids=["empty", "not-json", "not-an-object", "not-text", "too-short"],
)
def test_damaged_file_is_refused_naming_it_without_showing_it(tmp_path, content):
    path = tmp_path / "secrets.json"
    path.write_text(content)
    with pytest.raises(ImproperlyConfigured, match="secrets.json is damaged") as refused:
        installation_secrets.load(path, NAMES)
    if content:
        assert content not in str(refused.value)
    assert path.read_text() == content  # left as it was, for its owner to restore


def test_damaged_file_stops_start_up(tmp_path):
    (tmp_path / "secrets.json").write_text("{not json")
    result = start(tmp_path)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "secrets.json is damaged" in last_line


def test_unreadable_file_stops_start_up_naming_it(tmp_path):
    # Root reads any file whatever its mode: a folder in its place cannot be read by anyone.
    (tmp_path / "secrets.json").mkdir()
    result = start(tmp_path)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert "Cannot read" in last_line
    assert "secrets.json" in last_line


def test_permission_denied_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "secrets.json"
    path.write_text("{}")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "read_text", refuse)
    with pytest.raises(ImproperlyConfigured, match="Cannot read .*secrets.json.*Permission denied"):
        installation_secrets.load(path, NAMES)


def test_folder_that_cannot_be_written_names_the_variables_to_set(tmp_path):
    blocker = tmp_path / "var"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY and SIMULATOR_WEBHOOK_SECRET"):
        installation_secrets.load(blocker / "secrets.json", NAMES)


def test_generated_key_is_accepted_without_debug(tmp_path):
    # A production server with no SECRET_KEY set runs on its own generated key.
    result = python(
        ["manage.py", "check", "--deploy", "--fail-level", "ERROR"], RELAIS_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("public_value", sorted(installation_secrets.KNOWN_PUBLIC_VALUES))
def test_a_published_key_is_refused_without_debug(tmp_path, public_value):
    result = start(tmp_path, SECRET_KEY=public_value)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "SECRET_KEY" in last_line
    assert "published" in last_line
