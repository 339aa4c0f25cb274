"""POST /api/v1/messages/batch: up to 1,000 recipients of one template, one result each, the
refusals a single send would give, idempotent as a whole."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sending.models import Message
from tests.factories import make_contact

pytestmark = pytest.mark.django_db

VARIABLES = {"prenom": "Marie", "duree_offre": "48h"}


def batch(client, people, key=None, **extra):
    body = {"template_id": "promo_soldes_v1", "recipients": people, **extra}
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/messages/batch", body, content_type="application/json", headers=headers
    )


def single(client, recipient):
    body = {"template_id": "promo_soldes_v1", **recipient}
    return client.post("/api/v1/messages", body, content_type="application/json")


def opted_in_numbers(count):
    numbers = [f"+3361{index:07d}" for index in range(count)]
    for number in numbers:
        make_contact(phone=number, opted_in=True, test_mode=True)
    return numbers


def test_each_recipient_gets_its_message_with_its_own_variables(api, seed_template):
    numbers = opted_in_numbers(3)
    recipients = [
        {"recipient": number, "variables": {"prenom": f"P{i}", "duree_offre": "48h"}}
        for i, number in enumerate(numbers)
    ]
    recipients[1]["external_id"] = "order-1"

    response = batch(api, recipients)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["accepted"], body["refused"]) == (3, 0)
    for index, result in enumerate(body["results"]):
        assert (result["index"], result["status"], result["errors"]) == (index, "accepted", [])
        message = Message.objects.get(public_id=result["message"]["id"])
        assert message.contact.phone == numbers[index]
        assert message.variables["prenom"] == f"P{index}"
        assert result["message"]["status_url"].endswith(result["message"]["id"])
    assert body["results"][1]["message"]["external_id"] == "order-1"
    by_ref = api.get("/api/v1/messages/by-external-id/order-1").json()
    assert by_ref["id"] == body["results"][1]["message"]["id"]


REFUSALS = [
    {"recipient": "06 12", "variables": VARIABLES},  # invalid_recipient
    {"recipient": "+33142685300", "variables": VARIABLES},  # a landline
    {"recipient": "+33612345678", "variables": {"prenom": "Marie"}},  # missing_variable
    {"recipient": "+33612345678", "variables": {**VARIABLES, "ville": "Lyon"}},  # unknown
    {"recipient": "+33612999999", "variables": VARIABLES},  # no consent
    {"recipient": "+33612345678", "variables": {"prenom": 3, "duree_offre": "48h"}},  # type
    {"recipient": "+33612345678"},  # no variables: missing
]


def test_a_refused_recipient_gets_the_code_and_field_a_single_send_gives(api, seed_template):
    recipients = [{"recipient": "+33612345678", "variables": VARIABLES}, *REFUSALS]

    response = batch(api, recipients)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 1 and body["refused"] == len(REFUSALS)
    assert body["results"][0]["status"] == "accepted"
    for index, recipient in enumerate(REFUSALS, start=1):
        result = body["results"][index]
        assert (result["index"], result["status"], result["message"]) == (index, "refused", None)
        alone = single(api, recipient)
        assert alone.status_code in (404, 422)
        expected = {(e["field"], e["code"]) for e in alone.json()["errors"]}
        assert {(e["field"], e["code"]) for e in result["errors"]} == expected, recipient
    # Only the accepted one and the singles' own accepted sends were written: none here.
    assert Message.objects.count() == 1


def test_a_field_a_recipient_cannot_have_is_refused_for_that_recipient(api, seed_template):
    # The policy is the batch's, not a recipient's.
    recipients = [{"recipient": "+33612345678", "variables": VARIABLES, "policy": "sms_only"}]
    (result,) = batch(api, recipients).json()["results"]
    assert result["errors"][0]["field"] == "policy"
    assert result["errors"][0]["code"] == "extra_forbidden"


@pytest.mark.parametrize(
    "extra, status, field, code",
    [
        ({"template_id": "nope"}, 404, "template_id", "unknown_template"),
        ({"policy": "fax"}, 422, "policy", "enum"),
        ({"rcs_ttl_seconds": 5}, 422, "rcs_ttl_seconds", "greater_than_equal"),
        ({"send_at": "2020-01-01T00:00:00Z"}, 422, "send_at", "invalid_send_at"),
        ({"recipients": []}, 422, "recipients", "too_short"),
        ({"recipients": ["+33612345678"]}, 422, "recipients[0]", "dict_type"),
    ],
)
def test_a_problem_common_to_every_recipient_refuses_the_whole_batch(
    api, seed_template, extra, status, field, code
):
    recipients = [{"recipient": "+33612345678", "variables": VARIABLES}]
    response = batch(api, recipients, **extra)
    assert response.status_code == status, response.content
    assert (field, code) in {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert not Message.objects.exists()


def test_more_than_1000_recipients_is_refused(api, seed_template):
    recipients = [{"recipient": "+33612345678", "variables": VARIABLES}] * 1001
    response = batch(api, recipients)
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]
        == {
            "field": "recipients",
            "code": "too_long",
            "message": "1001 items were given; the limit is 1000.",
        }
        or response.json()["errors"][0]["code"] == "too_long"
    )


def test_a_repeat_with_the_same_key_answers_the_same_and_sends_nothing_more(api, seed_template):
    numbers = opted_in_numbers(2)
    recipients = [{"recipient": number, "variables": VARIABLES} for number in numbers]

    first = batch(api, recipients, key="batch-1")
    again = batch(api, recipients, key="batch-1")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Message.objects.count() == 2
    other = batch(api, recipients[:1], key="batch-1")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_different_request"
    assert Message.objects.count() == 2


def test_a_thousand_recipients_are_written_in_a_few_queries(api, seed_template):
    numbers = [f"+3361{index:07d}" for index in range(1000)]
    # Half are known contacts, half are new ones.
    for number in numbers[:500]:
        make_contact(phone=number, opted_in=True, test_mode=True)
    recipients = [{"recipient": number, "variables": VARIABLES} for number in numbers]

    with CaptureQueriesContext(connection) as queries:
        body = batch(api, recipients, key="big").json()

    assert body["accepted"] == 500
    assert {e["code"] for r in body["results"][500:] for e in r["errors"]} == {"no_consent"}
    assert Message.objects.count() == 500
    # Not a query (nor a transaction) per recipient.
    assert len(queries) < 60, [q["sql"][:80] for q in queries.captured_queries]


def test_a_batch_can_be_scheduled(api, seed_template):
    send_at = (timezone.now() + timedelta(days=1)).isoformat()
    recipients = [{"recipient": "+33612345678", "variables": VARIABLES}]
    body = batch(api, recipients, send_at=send_at).json()
    assert body["results"][0]["message"]["status"] == "scheduled"


def test_the_frequency_cap_decides_a_batch_in_order(api, seed_template, promotion_rules, settings):
    settings.QUIET_HOURS_POLICY = "none"  # any hour: only the cap here
    recipients = [{"recipient": "+33612345678", "variables": VARIABLES}] * 3
    body = batch(api, recipients).json()
    statuses = [result["message"]["status"] for result in body["results"]]
    reasons = [result["message"]["status_reason"] for result in body["results"]]
    assert statuses == ["queued", "suppressed", "suppressed"]
    assert reasons == [None, "frequency_cap", "frequency_cap"]
