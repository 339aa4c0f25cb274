"""The curl and Python examples of docs/api.md's "Messages: list, batch, schedule, cancel" and
"Templates" run as written against a running Relais (a live server with the seed's promotion
template, the simulator's reserved numbers opted in as the demo does, and a test key)."""

import re

import pytest

from sending.models import Message
from tests.factories import make_contact
from tests.support.docs_examples import doc_text, run_examples

SECTIONS = re.compile(
    r"^## (?:Messages: list, batch, schedule, cancel|Templates)$(.*?)(?=^## )",
    re.MULTILINE | re.DOTALL,
)
BLOCK = re.compile(r"^```(sh|python)$(.*?)^```$", re.MULTILINE | re.DOTALL)


def examples():
    sections = SECTIONS.findall(doc_text("api.md"))
    return [block for section in sections for block in BLOCK.findall(section)]


def test_the_sections_have_curl_and_python_examples():
    kinds = [kind for kind, _code in examples()]
    assert kinds.count("sh") >= 4 and kinds.count("python") >= 1


@pytest.mark.django_db(transaction=True)
def test_the_examples_run_as_written(relais_at_url, seed_template, jobs):
    for number in ("+33699000001", "+33699000002", "+33699000005"):
        make_contact(phone=number, opted_in=True, test_mode=True)
    answers = run_examples(examples())
    batch, page, by_reference, template = answers
    # The curl batch: the mobile accepted, the landline refused as a single send refuses it.
    assert [r["status"] for r in batch["results"]] == ["accepted", "refused"]
    assert batch["results"][1]["errors"][0]["code"] == "not_a_mobile_number"
    assert page["results"][0]["id"] == batch["results"][0]["message"]["id"]
    assert by_reference["external_id"] == "order-1042"
    assert template["example_request"]["template_id"] == "promo_soldes_v1"
    # The Python example scheduled three and cancelled one.
    scheduled = Message.objects.filter(test_mode=True, send_at__isnull=False)
    assert sorted(scheduled.values_list("status", flat=True)) == [
        "cancelled",
        "scheduled",
        "scheduled",
    ]
