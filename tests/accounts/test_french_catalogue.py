"""The French catalogue covers every string of the code, and no translation waits for review.

It runs Django's makemessages on a copy of the tracked files, so a string added to the code
without its French, or an English text changed under an existing translation (which
msgmerge marks fuzzy), fails here instead of reaching a French user in English.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale/fr/LC_MESSAGES/django.po")


def tracked_files():
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [Path(name.decode()) for name in listed if name]


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")
def test_every_string_has_its_french(tmp_path):
    copy = tmp_path / "relais"
    for name in tracked_files():
        if name.parts[:2] == ("docs", "screenshots") or not (ROOT / name).is_file():
            continue
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        check=True,
    )
    refreshed = polib.pofile(str(copy / CATALOGUE))
    waiting = [entry.msgid for entry in refreshed.untranslated_entries()]
    waiting += [entry.msgid for entry in refreshed.fuzzy_entries()]
    assert not waiting, (
        f"{len(waiting)} string(s) of the code have no French (run `make messages` and "
        f"translate them in {CATALOGUE}): " + "; ".join(waiting[:10])
    )
