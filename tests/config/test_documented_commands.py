"""Every manage.py command the README and docs/ show works exactly as written, from the project
folder, in the shell of someone who has just run `make run`: no DEBUG, no SECRET_KEY, no
virtualenv activated, the database migrated with the demo data, the embedded Redis running.

Each runs against a throw-away var folder (SQLite file, embedded Redis, secrets file). The
long-running ones (workers, `--every`) must start and then stop cleanly on SIGTERM.
"""

import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from config import embedded_redis
from tests.support.fresh_process import ROOT, user_environment

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^[ \t]*```.*?$(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]*manage\.py[^`\n]*)`")
SHELL_OPERATORS = {"&&", "||", ";", "|"}
# What a long-running command prints once it is up.
READY = {"rqworker": "Listening on", "--every": "every"}
READY_SECONDS = 90


def manage_py_invocations(text):
    """The manage.py invocations in a text: code blocks line by line, and inline code that
    starts with an interpreter; each as its argument list (shell comments and cron fields and
    `cd … &&` before it left out)."""
    lines = [line for block in FENCE.findall(text) for line in block.splitlines()]
    lines += [span for span in INLINE.findall(text) if re.match(r"(\S*/)?python3? ", span)]
    for line in lines:
        if "manage.py" not in line:
            continue
        words = shlex.split(line, comments=True)
        start = words.index("manage.py") - 1
        end = next((i for i in range(start, len(words)) if words[i] in SHELL_OPERATORS), len(words))
        yield words[max(start, 0) : end]


def documented_commands():
    commands = {}
    for document in DOCUMENTS:
        for words in manage_py_invocations(document.read_text(encoding="utf-8")):
            command = shlex.join(words)
            commands.setdefault(command, document.relative_to(ROOT).as_posix())
    return [pytest.param(shlex.split(c), id=f"{where}: {c}") for c, where in commands.items()]


def long_running(command):
    return "rqworker" in command or "--every" in command


def ready_marker(command):
    return READY["rqworker"] if "rqworker" in command else READY["--every"]


def users_shell(var_dir):
    """The environment after `make run`: no DEBUG or SECRET_KEY, no virtualenv on PATH."""
    venv_bin = str(Path(sys.prefix) / "bin")
    env = user_environment(RELAIS_VAR_DIR=str(var_dir))
    env["PATH"] = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep) if part.rstrip("/") != venv_bin
    )
    return env


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A var folder as `make run` leaves it (migrated, demo data), with its Redis running."""
    var_dir = tmp_path_factory.mktemp("var")
    # What `make run` does, with the DEBUG=true it gives its children.
    set_up = {**users_shell(var_dir), "DEBUG": "true"}
    # Started first, as `make run` does: setup_demo launches the demo campaigns (jobs in Redis).
    redis = embedded_redis.start(var_dir / "redis.sock", persist=False)
    try:
        for args in (["migrate", "--no-input", "-v", "0"], ["setup_demo"]):
            done = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=set_up,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
        yield var_dir
    finally:
        embedded_redis.stop(redis, remove_files_of=var_dir / "redis.sock")


def test_the_docs_show_manage_py_commands():
    # The extraction itself: a broken pattern would make the test below pass with nothing.
    commands = [param.values[0] for param in documented_commands()]
    assert [".venv/bin/python", "manage.py", "create_api_key"] in [c[:3] for c in commands]
    assert len(commands) >= 5


@pytest.mark.parametrize(
    "command", [p for p in documented_commands() if not long_running(p.values[0])]
)
def test_documented_command_succeeds(installation, command):
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=users_shell(installation),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.worker
@pytest.mark.parametrize("command", [p for p in documented_commands() if long_running(p.values[0])])
def test_documented_long_running_command_starts_and_stops(installation, command):
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=users_shell(installation),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    output = []
    try:
        marker = ready_marker(command)
        while not any(marker in line for line in output):
            try:
                output.append(lines.get(timeout=READY_SECONDS))
            except queue.Empty:
                break
        assert any(marker in line for line in output), "".join(output)[-3000:]
        assert process.poll() is None, "".join(output)[-3000:]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode in (0, -signal.SIGTERM), "".join(output)[-3000:]
