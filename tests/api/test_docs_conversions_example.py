"""The examples of docs/api.md's "Conversions" (curl, Python) and of docs/analytics.md's shop
backend (Python) run as written against a running Relais with a test key."""

import json
import os
import re
import subprocess
import sys
from datetime import datetime

import pytest

from analytics.conversions import Conversion
from tests.factories import make_contact, make_sent_message
from tests.support.fresh_process import ROOT

BLOCK = re.compile(r"^```(sh|python)$(.*?)^```$", re.MULTILINE | re.DOTALL)


def section(document, title):
    text = (ROOT / "docs" / document).read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def run(language, code):
    command = ["bash", "-euo", "pipefail", "-c", code]
    if language == "python":
        command = [sys.executable, "-c", code]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=os.environ)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def relais(live_server, test_key, monkeypatch):
    monkeypatch.setenv("RELAIS_URL", live_server.url)
    monkeypatch.setenv("RELAIS_API_KEY", test_key[1])


@pytest.mark.django_db(transaction=True)
def test_the_conversion_examples_run_and_credit_the_delivered_message(relais):
    buyer = make_contact(phone="+33612345678", test_mode=True)
    # Delivered that morning, not clicked: the curl example's order, that evening, is its.
    message = make_sent_message(
        buyer, delivered_at=datetime.fromisoformat("2025-06-03T09:30+02:00")
    )
    (curl, python) = BLOCK.findall(section("api.md", "## Conversions"))
    assert (curl[0], python[0]) == ("sh", "python")

    reported = json.loads(run(*curl))
    printed = run(*python).split()

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
def test_the_shop_backend_example_reports_an_order_once(relais):
    (backend,) = [
        block
        for block in BLOCK.findall(section("analytics.md", "### The shop's backend"))
        if block[0] == "python"
    ]

    first = run(*backend).split()
    again = run(*backend).split()

    assert first == again
    assert Conversion.objects.get().order_id == "CMD-2025-10412"
