"""The editor's test send refuses numbers the fraud guard refuses, saying why next to the phone."""

import pytest

from audience.models import ConsentEntry, Contact
from sending import services
from sending.forms import TestSendForm
from sending.models import Message
from sending.services.test_send import send_test
from tests.factories import make_published_template
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def promo():
    template, _version = make_published_template(slug="promo_test")
    return template


@pytest.mark.parametrize(
    ("number", "code", "named"),
    [
        ("01 42 68 53 00", "not_a_mobile_number", "is a landline: SMS cannot reach it"),
        ("08 99 12 34 56", "not_a_mobile_number", "is a premium-rate number"),
        ("+1 415 555 2671", "country_not_allowed", "United States"),
    ],
)
def test_the_form_names_the_reason_at_the_phone(english, number, code, named):
    form = TestSendForm({"phone": number})
    assert not form.is_valid()
    assert form.has_error("phone", code)
    assert named in form.errors["phone"][0]


def test_the_panel_refuses_a_landline_and_records_nothing(client, promo, jobs):
    signed_in(client)
    response = client.post(
        f"/campaigns/test-send/{promo.pk}/", {"phone": "01 42 68 53 00", "consent": "on"}
    )
    page = response.content.decode()
    assert "+33 1 42 68 53 00 is a landline" in page
    assert not Message.objects.exists()
    assert not Contact.objects.exists()
    assert not ConsentEntry.objects.exists()


def test_the_test_send_service_refuses_too(english, promo, django_user_model):
    user = django_user_model.objects.create_user("marie")
    with pytest.raises(services.SendRefused) as refused:
        send_test(promo, "+33899123456", user=user, consent=True)
    assert (refused.value.field, refused.value.code) == ("recipient", "not_a_mobile_number")
    assert not Contact.objects.exists()


def test_a_french_mobile_still_goes(promo, jobs, django_user_model):
    user = django_user_model.objects.create_user("marie")
    message = send_test(promo, "+33612345678", user=user, consent=True)
    assert message.status == Message.Status.QUEUED
