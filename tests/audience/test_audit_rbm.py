"""A live capability audit through Google RBM (a local stub in its place): the exact batchGet
request, the answers on the live contacts, and a 429 waited out as Google asks."""

import pytest

from audience.audit import run_audit, start_audit
from audience.models import Contact
from tests.factories import make_contact, make_list
from tests.support.providers import AGENT

pytestmark = pytest.mark.django_db
NUMBERS = ["+33612345678", "+33600000001", "+33687654321"]


@pytest.fixture
def rbm_audit(rbm_settings, stub):
    rbm_settings.RBM_API_BASE = stub.base_url
    contact_list = make_list(name="Clients")
    for number in NUMBERS:
        contact = make_contact(phone=number)
        contact_list.contacts.add(contact, through_defaults={"source": "import"})
        make_contact(phone=number, test_mode=True)
    return start_audit(contact_list=contact_list)


def test_a_live_audit_asks_rbm_in_one_batch_and_writes_the_live_contacts(rbm_audit, stub):
    stub.reply_json({"reachableUsers": [NUMBERS[0], NUMBERS[2]]})

    audit = run_audit(rbm_audit.pk)

    assert stub.last.method == "POST" and stub.last.path == "/v1/users:batchGet"
    assert stub.last.json() == {"users": NUMBERS, "agentId": AGENT}
    assert (audit.provider, audit.rcs_yes, audit.rcs_no, audit.unknown) == ("rbm", 2, 1, 0)
    live = dict(Contact.objects.live().values_list("phone", "rcs_capable"))
    assert live == {NUMBERS[0]: True, NUMBERS[1]: False, NUMBERS[2]: True}
    assert not Contact.objects.test().filter(rcs_checked_at__isnull=False).exists()


def test_a_rate_limited_batch_is_asked_again_after_retry_after(rbm_audit, stub):
    stub.reply_json(
        {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota exceeded"}},
        status=429,
        headers={"Retry-After": "4"},
    )
    stub.reply_json({"reachableUsers": [NUMBERS[1]]})
    slept = []

    audit = run_audit(rbm_audit.pk, sleep=slept.append)

    assert len(stub.requests) == 2 and slept == [4]
    assert (audit.status, audit.rcs_yes, audit.rcs_no) == ("done", 1, 2)


def test_a_refused_agent_stops_the_audit_without_its_message_on_the_page(rbm_audit, stub):
    stub.reply_json(
        {"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "agent not launched"}},
        status=403,
    )

    audit = run_audit(rbm_audit.pk, sleep=lambda seconds: None)

    assert (audit.status, audit.error, audit.checked) == ("failed", "provider", 0)
    assert "agent not launched" not in audit.error_message
    assert len(stub.requests) == 1
