"""Running the examples of docs/ as a reader would: read from the page, run as written against
the live server the test's environment names (RELAIS_URL or RELAIS_PORT, RELAIS_API_KEY)."""

import json
import os
import subprocess
import sys

from tests.support.fresh_process import ROOT


def doc_text(name):
    """The text of docs/<name>."""
    return (ROOT / "docs" / name).read_text(encoding="utf-8")


def run_example(language, code, *, timeout=60):
    """Run an "sh" example in bash (-euo pipefail) or a "python" one in a new interpreter, with
    the test's environment; assert it succeeded and return what it printed."""
    command = ["bash", "-euo", "pipefail", "-c", code]
    if language == "python":
        command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=os.environ)
    assert done.returncode == 0, done.stderr
    return done.stdout


def assert_not_a_problem(answer):
    """The API answered the call, not with a problem+json refusal."""
    assert not str(answer.get("type", "")).startswith("urn:relais:problem"), answer


def run_examples(blocks):
    """Run (kind, code) blocks in order and return the shell ones' answers: each shell example
    prints one JSON answer that is not a problem; a Python one runs in this process."""
    answers = []
    for kind, code in blocks:
        if kind == "sh":
            answer = json.loads(run_example(kind, code))
            answers.append(answer)
            assert_not_a_problem(answer)
        else:
            exec(compile(code, "docs/api.md", "exec"), {})  # noqa: S102 (our own docs)
    return answers


def answers_of(output):
    """The JSON documents an example printed one after the other."""
    decoder, answers, at = json.JSONDecoder(), [], 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        answer, at = decoder.raw_decode(output, at)
        answers.append(answer)
    return answers
