"""docs/api.md's "Examples in five languages": the same tour of the main calls in curl, Python,
PHP, Node.js and Java, and the rules every example of the page follows.

The curl, Python, Node.js and Java programs run as written against a live test server (the
seed's promotion template, a test key, the simulator's reserved numbers), each in its own
process, as `bash`, `python`, `node` and `java RelaisTour.java` (single-file source launch).
No PHP interpreter is installed here, so the PHP program is only checked structurally: its
brackets balance (outside strings and comments) and every API path it calls exists in the
served OpenAPI schema, as for every example of the page.
"""

import os
import re
import shutil
import socket
import subprocess
import sys

import pytest
from django.test import Client

from analytics.conversions import Conversion
from audience.models import Contact
from campaigns.models import Campaign
from config.docs import _page
from integrations.models import WebhookEndpoint
from sending.models import Message
from tests.factories import make_contact
from tests.support.api import bearer
from tests.support.fresh_process import ROOT

LANGUAGES = ["sh", "python", "php", "js", "java"]
SECTION = re.compile(r"^## Examples in five languages$(.*?)(?=^## )", re.MULTILINE | re.DOTALL)
BLOCK = re.compile(r"^```(sh|python|php|js|java)$\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# The calls every tour makes, as its paths show them.
MAIN_CALLS = [
    "/capabilities",
    "/contacts",
    "/messages",
    "/messages/batch",
    "/cancel",
    "/conversions",
    "/webhook-endpoints",
    "/lists",
    "/campaigns",
    "/launch",
]
# A value put into a path, in each language: ${…} (JS), {$…} (PHP), {…} (Python), $(…) and
# $NAME (shell), %s (Java); each becomes {x}.
PLACEHOLDER = re.compile(r"\$\{[^{}]*\}|\{\$[^{}]*\}|\{[^{}\s]*\}|\$\([^()]*\)|\$\w+|%s")
# Where an API path starts in an example: after the API's base, as a string of its own, or as
# the argument of the curl tour's function.
PATH = re.compile(r"""(?:/api/v1|\{x\}|["'`]|\brelais [A-Z]+ )(/[a-z][^\s"'`?)]*)""")
RUN = {
    "sh": ("relais-tour.sh", ["bash", "relais-tour.sh"]),
    "python": ("relais_tour.py", [sys.executable, "relais_tour.py"]),
    "js": ("relais-tour.mjs", ["node", "relais-tour.mjs"]),
    "java": ("RelaisTour.java", ["java", "RelaisTour.java"]),
}


def page():
    return (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def tours():
    return dict(BLOCK.findall(SECTION.search(page()).group(1)))


def test_the_tour_is_there_in_five_languages_with_the_main_calls():
    found = tours()
    assert list(found) == LANGUAGES
    for language, code in found.items():
        missing = [call for call in MAIN_CALLS if call not in code]
        assert not missing, (language, missing)
        assert "Idempotency-Key" in code or "idempotency_key" in code, language
        assert "code" in code and "detail" in code, language


def served_paths():
    schema = Client().get("/api/v1/openapi.json").json()
    return [path.removeprefix("/api/v1").split("/") for path in schema["paths"]]


def known(path, schema_paths):
    """Whether an example's path is one of the schema's (a placeholder matches any segment)."""
    parts = path.rstrip("/").split("/")
    for candidate in schema_paths:
        if len(candidate) == len(parts) and all(
            want == have or want.startswith("{") or have == "{x}"
            for want, have in zip(candidate, parts, strict=True)
        ):
            return True
    return False


def example_paths(code):
    paths = set()
    for match in PATH.finditer(PLACEHOLDER.sub("{x}", code)):
        path = match.group(1)
        if path == "/api/v1":  # the base itself
            continue
        path = path.removeprefix("/api/v1")
        # A value glued to a name is a query string ("/messages{x}"); one after a slash, an id
        # (Java's "/messages/" + id).
        path = re.sub(r"(?<=[^/])\{x\}.*", "", path)
        paths.add(path + "{x}" if path.endswith("/") else path)
    return paths


@pytest.mark.django_db
def test_every_api_path_of_every_example_exists_in_the_served_schema():
    schema_paths = served_paths()
    blocks = BLOCK.findall(page())
    assert len(blocks) >= 20
    checked = set()
    for language, code in blocks:
        for path in example_paths(code):
            assert known(path, schema_paths), (language, path)
            checked.add(path)
    # The tours' calls all came through the extraction, in every language.
    for code in tours().values():
        assert {"/capabilities", "/messages/batch", "/webhook-endpoints"} <= example_paths(code)
    assert len(checked) >= 15


def test_the_checker_finds_a_path_the_api_does_not_have():
    schema = [["", "messages", "{message_id}", "cancel"]]
    assert example_paths("f\"{API}/messages/{sent['id']}/cancel\"") == {"/messages/{x}/cancel"}
    assert example_paths('"/messages/%s/cancel".formatted(id)') == {"/messages/{x}/cancel"}
    assert example_paths("`/messages/${sent.id}/cancel`") == {"/messages/{x}/cancel"}
    assert example_paths('"/messages/" + id') == {"/messages/{x}"}
    assert known("/messages/{x}/cancel", schema)
    assert not known("/messages/{x}/cancell", schema)
    assert not known("/message/{x}/cancel", schema)


def balanced(code):
    """The first unbalanced bracket of PHP code (outside strings and comments), or None."""
    pairs, stack, at = {")": "(", "]": "[", "}": "{"}, [], 0
    while at < len(code):
        char = code[at]
        if char in "'\"":
            at += 1
            while code[at] != char:
                at += 2 if code[at] == "\\" else 1
        elif code.startswith("//", at) or char == "#":
            at = code.index("\n", at)
        elif code.startswith("/*", at):
            at = code.index("*/", at) + 1
        elif char in "([{":
            stack.append((char, at))
        elif char in ")]}" and (not stack or stack.pop()[0] != pairs[char]):
            return at
        at += 1
    return stack[-1][1] if stack else None


def test_the_php_tour_is_well_formed():
    code = tours()["php"]
    assert code.startswith("<?php\n")
    assert balanced(code) is None, code[balanced(code) :][:80]
    assert balanced(code.replace("[]", "[", 1)) is not None  # the checker can fail
    # Every statement ends with a semicolon (a line that neither opens nor closes a block).
    for line in code.splitlines():
        text = line.split(" //")[0].rstrip()
        if text and not text.startswith(("//", "<?php", "function ")) and text[-1] not in ";{}([,":
            raise AssertionError(f"no semicolon: {line}")
    # A few PHP pitfalls: a function PHP already has, a variable without its $.
    declared = re.findall(r"^function (\w+)", code, re.MULTILINE)
    assert not {"key", "list", "count", "end"} & set(declared)
    assert not re.search(r"[^$\w'>](checked|contact|sent|message|page|batch)\[", code)


@pytest.fixture
def tour_server(live_server, seed_template, test_key, jobs, monkeypatch):
    """As after `RELAIS_PORT=… make run` with the demo data: the reserved numbers opted in."""
    make_contact(phone="+33699000002", first_name="Paul", opted_in=True, test_mode=True)
    monkeypatch.delenv("RELAIS_URL", raising=False)
    monkeypatch.setenv("RELAIS_PORT", str(live_server.thread.port))
    monkeypatch.setenv("RELAIS_API_KEY", test_key[1])
    # The tour's webhook receiver, example.com, resolves to a public address without a network.
    resolve = socket.getaddrinfo

    def offline(host, port, *args, **kwargs):
        if host == "example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    return live_server


@pytest.mark.parametrize("language", list(RUN))
@pytest.mark.django_db(transaction=True)
def test_the_tour_runs_as_written(language, tour_server, tmp_path):
    name, command = RUN[language]
    if not shutil.which(command[0]):
        pytest.skip(f"{command[0]} is not installed")
    (tmp_path / name).write_text(tours()[language], encoding="utf-8")

    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert not done.stderr.strip(), done.stderr
    marie = Contact.objects.test().get(phone="+33699000001")
    assert marie.first_name == "Marie"
    sent = Message.objects.get(test_mode=True, external_id="order-1042")
    # The batch scheduled two, and the tour cancelled one of them.
    scheduled = Message.objects.filter(test_mode=True, send_at__isnull=False)
    assert sorted(scheduled.values_list("status", flat=True)) == ["cancelled", "scheduled"]
    conversion = Conversion.objects.get(order_id="CMD-2026-1042")
    # Reported by the message's id; not credited, as the message is not delivered yet.
    assert (conversion.matched_by, conversion.contact, conversion.test_mode) == (
        "message_id",
        sent.contact,
        True,
    )
    # The endpoint was made (its secret printed once), then deleted.
    assert "whsec_" in done.stdout and not WebhookEndpoint.objects.exists()
    campaign = Campaign.objects.get(name="Soldes fidèles")
    assert campaign.test_mode and campaign.status != Campaign.Status.DRAFT
    assert campaign.contact_list.memberships.count() == 2


@pytest.mark.parametrize("language", list(RUN))
@pytest.mark.django_db(transaction=True)
def test_the_tour_stops_at_a_refusal_and_says_why(language, tour_server, tmp_path, monkeypatch):
    name, command = RUN[language]
    if not shutil.which(command[0]):
        pytest.skip(f"{command[0]} is not installed")
    (tmp_path / name).write_text(tours()[language], encoding="utf-8")
    monkeypatch.setenv("RELAIS_API_KEY", "rl_test_" + "x" * 40)  # no such key

    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode != 0
    # The problem's status, code and detail, from the first call; nothing after it ran.
    problem = Client().get("/api/v1/messages", headers=bearer(os.environ["RELAIS_API_KEY"])).json()
    assert f"401 invalid_api_key: {problem['detail']}\n" in done.stderr, done.stderr
    assert not Contact.objects.filter(phone="+33699000001").exists()


@pytest.mark.django_db
def test_every_link_of_the_page_to_itself_lands_on_a_heading():
    html, _title = _page("api")
    ids = set(re.findall(r'<h[1-4] id="([^"]+)"', html))
    links = set(re.findall(r"\]\(#([^)]+)\)", page()))
    assert len(links) >= 30
    assert links <= ids, sorted(links - ids)
