"""The curl and Python examples of docs/api.md's "Contacts and consent" run as written against
a running Relais (a live server with the seed's promotion template and a test key), started
on a port of its own as the README's quick start allows (`RELAIS_PORT=8102 make run`)."""

import re

import pytest

from audience.models import Contact, ContactList
from tests.support.docs_examples import doc_text, run_examples

# The default address of a shell example: ${RELAIS_URL:-…}.
SHELL_DEFAULT = re.compile(r"RELAIS_URL:-(\S+)\}$", re.MULTILINE)
SECTION = re.compile(r"^## Contacts and consent$(.*?)^## ", re.MULTILINE | re.DOTALL)
BLOCK = re.compile(r"^```(sh|python)$(.*?)^```$", re.MULTILINE | re.DOTALL)


def examples():
    return BLOCK.findall(SECTION.search(doc_text("api.md")).group(1))


def test_the_section_has_curl_and_python_examples():
    kinds = [kind for kind, _code in examples()]
    assert kinds.count("sh") >= 2 and kinds.count("python") >= 1


# How an example in each other language reads RELAIS_PORT, 8000 when unset.
PORT_DEFAULT = {
    "python": 'os.environ.get("RELAIS_PORT", "8000")',
    "php": "getenv('RELAIS_PORT') ?: '8000'",
    "js": 'process.env.RELAIS_PORT ?? "8000"',
    "java": 'System.getenv().getOrDefault("RELAIS_PORT", "8000")',
}
ANY_BLOCK = re.compile(r"^```(sh|python|php|js|java)$(.*?)^```$", re.MULTILINE | re.DOTALL)


def test_every_example_address_follows_the_port_make_run_serves_on():
    """Set RELAIS_URL or not, an example calls the Relais that `RELAIS_PORT=… make run` started,
    in every language of the page."""
    blocks = [
        (kind, code) for kind, code in ANY_BLOCK.findall(doc_text("api.md")) if "RELAIS_URL" in code
    ]
    assert len(blocks) >= 10
    assert {kind for kind, _code in blocks} == {"sh", *PORT_DEFAULT}
    for kind, block in blocks:
        if kind in PORT_DEFAULT:
            assert PORT_DEFAULT[kind] in block, block
            assert "127.0.0.1:" in block and "RELAIS_API_KEY" in block, block
        else:
            assert SHELL_DEFAULT.findall(block) == ["http://127.0.0.1:${RELAIS_PORT:-8000}"], block


@pytest.mark.django_db(transaction=True)
def test_the_examples_run_as_written(relais_on_port, seed_template, jobs):
    # Only the port is given, as after `RELAIS_PORT=8102 make run`: the examples follow it.
    answers = run_examples(examples())
    # The promotion of the first curl example went to the number it opted in.
    assert [job for job in jobs.pending if job.path.endswith("send_message")]
    # The page of contacts: two of them, and a next page to follow.
    page = next(answer for answer in answers if "next" in answer)
    served_at = f"http://127.0.0.1:{relais_on_port.thread.port}/"
    assert len(page["results"]) == 2 and page["next"].startswith(served_at)
    # The list the Python example made, emptied of one contact, was deleted; the contact stays.
    assert not ContactList.objects.filter(test_mode=True, name="VIP").exists()
    assert Contact.objects.test().filter(phone="+33612345603").exists()
