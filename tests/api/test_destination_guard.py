"""The fraud guard at the API: sends and capability checks to numbers that cannot receive SMS
or are in a country this installation does not serve are refused, naming the reason."""

import pytest

from audience.models import Contact
from sending.models import Message
from tests.support.sending import ALWAYS_RCS

pytestmark = pytest.mark.django_db

REQUEST = {
    "template_id": "promo_soldes_v1",
    "variables": {"prenom": "Marie", "duree_offre": "48h"},
}

REFUSED = [
    ("+33 1 42 68 53 00", "not_a_mobile_number", "landline"),
    ("+33 8 99 12 34 56", "not_a_mobile_number", "premium-rate"),
    ("0800 12 34 56", "not_a_mobile_number", "freephone"),
    ("+33 9 12 34 56 78", "not_a_mobile_number", "VoIP"),
    ("+1 415 555 2671", "country_not_allowed", "United States"),
    ("+881 6 123 45678", "country_not_allowed", "satellite"),
]


@pytest.mark.parametrize(("number", "code", "named"), REFUSED)
def test_send_to_a_refused_number_is_422_naming_recipient_and_the_reason(
    english, api, seed_template, number, code, named
):
    response = api.post(
        "/api/v1/messages", {**REQUEST, "recipient": number}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert [(error["field"], error["code"]) for error in body["errors"]] == [("recipient", code)]
    assert named in body["detail"]
    assert not Message.objects.exists()
    # No contact is created for a number that may not receive messages.
    assert set(Contact.objects.values_list("phone", flat=True)) == {"+33612345678"}


def test_the_test_numbers_are_still_accepted(api, seed_template):
    response = api.post(
        "/api/v1/messages",
        {**REQUEST, "recipient": "+33612345678"},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content


def test_capability_check_answers_each_refused_number_with_its_reason(english, api):
    numbers = [number for number, _code, _named in REFUSED]
    response = api.post(
        "/api/v1/capabilities",
        {"numbers": [ALWAYS_RCS, *numbers]},
        content_type="application/json",
    )
    assert response.status_code == 200
    first, *refused = response.json()["results"]
    assert first["capable"] is True
    for result, (_number, code, named) in zip(refused, REFUSED, strict=True):
        assert result["capable"] is None
        assert result["error_code"] == code
        assert named in result["error"]
    # Only the mobile got a contact (with its capability); refused numbers leave no trace.
    assert list(Contact.objects.values_list("phone", flat=True)) == [ALWAYS_RCS]
