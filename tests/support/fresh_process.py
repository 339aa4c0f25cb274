"""Run Python or manage.py in a fresh interpreter with exactly the environment a user has."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a shell passes on; none of Relais' own variables (DEBUG, SECRET_KEY, pytest's markers).
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")


def user_environment(**env):
    """The variables of a user's shell, plus the given ones."""
    clean = {key: value for key, value in os.environ.items() if key in KEPT_VARIABLES}
    clean.update(env)
    return clean


def python(args, *, timeout=120, **env):
    """Run `python ARGS` from the project folder; return the CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=user_environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_python(args, **env):
    """Start `python ARGS` from the project folder without waiting (output piped, text)."""
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=user_environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
