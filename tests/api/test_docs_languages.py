"""docs/api.md's "Examples in five languages": the same tour of the main calls in curl, Python,
PHP, Node.js and Java, and the rules every example of the page follows.

The curl, Python, Node.js and Java programs run as written against a live test server (the
seed's promotion template, a test key, the simulator's reserved numbers), each in its own
process, as `bash`, `python`, `node` and `java RelaisTour.java` (single-file source launch).
No PHP interpreter is installed here, so the PHP program is not run: it is parsed with
tree-sitter's PHP grammar (no syntax error), its calls are checked against its own functions
and a list of PHP's, and every API path it calls exists in the served OpenAPI schema, as for
every example of the page.
"""

import os
import re
import shutil
import socket
import subprocess
import sys

import pytest
import tree_sitter
import tree_sitter_php
from django.test import Client
from mdit_py_plugins.anchors.index import slugify

from analytics.conversions import Conversion
from audience.models import Contact
from campaigns.models import Campaign
from config.docs import _page
from integrations.models import WebhookEndpoint
from sending.models import Message
from tests.factories import make_contact
from tests.support.api import bearer
from tests.support.docs_examples import doc_text

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
    return doc_text("api.md")


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


# The PHP functions the PHP examples may call besides their own (php.net's names).
PHP_FUNCTIONS = frozenset(
    [
        "array_filter",
        "array_values",
        "bin2hex",
        "count",
        "curl_error",
        "curl_exec",
        "curl_getinfo",
        "curl_init",
        "curl_setopt",
        "curl_setopt_array",
        "define",
        "end",
        "fwrite",
        "getenv",
        "json_decode",
        "json_encode",
        "random_bytes",
        "var_export",
    ]
)


def php_syntax(code):
    """(whether tree-sitter's PHP grammar finds an error, the functions declared, called)."""
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_php.language_php()))
    root = parser.parse(code.encode()).root_node
    declared, called, nodes = set(), set(), [root]
    while nodes:
        node = nodes.pop()
        if node.type == "function_definition":
            declared.add(node.child_by_field_name("name").text.decode())
        elif node.type == "function_call_expression":
            called.add(node.child_by_field_name("function").text.decode())
        nodes.extend(node.children)
    return root.has_error, declared, called


def test_the_php_tour_parses_and_calls_only_known_functions():
    code = tours()["php"]
    assert code.startswith("<?php\n")

    has_error, declared, called = php_syntax(code)

    assert not has_error
    assert declared == {"relais", "newKey"}  # not a name PHP has already, like key()
    assert called <= declared | PHP_FUNCTIONS, called - declared - PHP_FUNCTIONS
    # The checker can fail: a missing semicolon, a misspelt function.
    assert php_syntax(code.replace("exit(1);", "exit(1)", 1))[0]
    assert "curl_setop" in php_syntax(code.replace("curl_setopt(", "curl_setop(", 1))[2]


@pytest.fixture
def tour_server(relais_on_port, seed_template, jobs, monkeypatch):
    """As after `RELAIS_PORT=… make run` with the demo data: the reserved numbers opted in."""
    make_contact(phone="+33699000002", first_name="Paul", opted_in=True, test_mode=True)
    # The tour's webhook receiver, example.com, resolves to a public address without a network.
    resolve = socket.getaddrinfo

    def offline(host, port, *args, **kwargs):
        if host == "example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    return relais_on_port


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


def test_each_reference_section_of_a_tour_step_points_to_the_tour():
    """A reader of "Send a message" finds the same call in PHP, Node.js and Java."""
    text = page()
    headings = {slugify(title): at for at, title in heading_positions(text)}
    table = SECTION.search(text).group(1)
    rows = re.findall(r"^\| (\d+) \|.*\]\(#([a-z0-9-]+)\) \|$", table, re.MULTILINE)
    assert len(rows) == 9  # every step but the webhook endpoint, whose reference is webhooks.md
    for step, anchor in rows:
        start = headings[anchor]
        section = text[start : text.index("\n#", start + 1)]
        assert f"step {step} of [the tour](#examples-in-five-languages)" in section, anchor


def heading_positions(text):
    return [(match.start(), match.group(1)) for match in re.finditer(r"^#+ (.+)$", text, re.M)]
