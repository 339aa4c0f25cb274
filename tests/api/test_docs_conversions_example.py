"""The examples of docs/api.md's "Conversions" (curl, Python) and of docs/analytics.md's shop
backend (Python) run as written against a running Relais with a test key."""

import json
import re
from datetime import datetime

import pytest

from analytics.conversions import Conversion
from tests.factories import make_contact, make_sent_message
from tests.support.docs_examples import doc_text, run_example

BLOCK = re.compile(r"^```(sh|python)$(.*?)^```$", re.MULTILINE | re.DOTALL)


def section(document, title):
    text = doc_text(document)
    start = text.index(f"\n{title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


@pytest.mark.django_db(transaction=True)
def test_the_conversion_examples_run_and_credit_the_delivered_message(relais_at_url):
    buyer = make_contact(phone="+33612345678", test_mode=True)
    # Delivered that morning, not clicked: the curl example's order, that evening, is its.
    message = make_sent_message(
        buyer, delivered_at=datetime.fromisoformat("2025-06-03T09:30+02:00")
    )
    (curl, python) = BLOCK.findall(section("api.md", "## Conversions"))
    assert (curl[0], python[0]) == ("sh", "python")

    reported = json.loads(run_example(*curl))
    printed = run_example(*python).split()

    assert (reported["matched_by"], reported["attributed_by"]) == ("phone", "delivery")
    assert reported["message_id"] == str(message.public_id)
    # The Python example's click id is made up: the order is kept, credited to nobody.
    assert printed[1:] == ["None", "None"]
    unattributed = Conversion.objects.get(public_id=printed[0])
    assert (unattributed.order_id, unattributed.test_mode, unattributed.message) == (
        "CMD-2025-10413",
        True,
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_the_shop_backend_example_reports_an_order_once(relais_at_url):
    (backend,) = [
        block
        for block in BLOCK.findall(section("analytics.md", "### The shop's backend"))
        if block[0] == "python"
    ]

    first = run_example(*backend).split()
    again = run_example(*backend).split()

    assert first == again
    assert Conversion.objects.get().order_id == "CMD-2025-10412"
