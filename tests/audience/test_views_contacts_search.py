"""The contacts screen finds contacts by phone in any form, by name or email, and filters them
by consent, RCS capability, list and language, counting what matches."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audience.models import ContactList
from audience.services import add_to_list
from tests.factories import make_consent, make_contact
from tests.support.views import signed_in

pytestmark = pytest.mark.django_db


def shown(client, **params):
    """The phones of the contacts the screen lists for these query parameters."""
    page = client.get("/audience/", params).content.decode()
    return sorted(re.findall(r'<tr data-contact="[^"]+">.*?(\+\d+)', page, re.DOTALL))


def stat(client, name, **params):
    page = client.get("/audience/", params).content.decode()
    return int(re.search(rf'data-stat="{name}">(\d+)<', page).group(1))


@pytest.fixture
def people(client):
    signed_in(client)
    now = timezone.now()
    marie = make_contact(
        phone="+33612345678",
        first_name="Marie",
        last_name="Curie",
        email="marie@shop.example",
        language="fr",
        rcs_capable=True,
        rcs_checked_at=now,
    )
    make_consent(marie)
    paul = make_contact(
        phone="+33698765432",
        first_name="Paul",
        email="paul@example.org",
        language="en",
        rcs_capable=False,
        rcs_checked_at=now,
    )
    make_consent(paul, kind="opt_out", channel="sms", source="inbound_stop")
    # Checked capable, but too long ago: unknown.
    old = make_contact(
        phone="+33711223344", rcs_capable=True, rcs_checked_at=now - timedelta(days=40)
    )
    make_contact(phone="+33612345679", test_mode=True, first_name="Marie")
    return marie, paul, old


@pytest.mark.parametrize(
    "typed", ["06 12 34 56 78", "+33612345678", "0033 6 12 34 56 78", "06.12.34.56.78", "+33 6 12"]
)
def test_a_phone_is_found_whatever_its_form(client, people, typed):
    assert shown(client, q=typed) == ["+33612345678"]


def test_a_partial_national_number_finds_every_number_that_has_it(client, people):
    assert shown(client, q="06 12 34") == ["+33612345678"]
    assert shown(client, q="06") == ["+33612345678", "+33698765432"]


def test_names_and_email_are_searched_word_by_word(client, people):
    assert shown(client, q="marie curie") == ["+33612345678"]
    assert shown(client, q="example.org") == ["+33698765432"]
    assert shown(client, q="marie paul") == []


@pytest.mark.parametrize(
    ("params", "phones"),
    [
        ({"sms": "opt_in"}, ["+33612345678"]),
        ({"sms": "opt_out"}, ["+33698765432"]),
        ({"rcs": "none"}, ["+33698765432", "+33711223344"]),
        ({"capable": "yes"}, ["+33612345678"]),
        ({"capable": "no"}, ["+33698765432"]),
        ({"capable": "unknown"}, ["+33711223344"]),
        ({"language": "en"}, ["+33698765432"]),
        ({"sms": "none", "capable": "unknown"}, ["+33711223344"]),
    ],
)
def test_filters_narrow_the_list(client, people, params, phones):
    assert shown(client, **params) == phones


def test_the_list_filter_shows_the_members_of_one_list(client, people):
    marie, _paul, old = people
    vip = ContactList.objects.create(name="VIP")
    add_to_list(vip, [marie, old], source="admin")

    assert shown(client, list=str(vip.public_id)) == ["+33612345678", "+33711223344"]


def test_counts_follow_the_filters(client, people):
    assert (stat(client, "contacts"), stat(client, "promotable"), stat(client, "rcs_capable")) == (
        3,
        1,
        1,
    )
    assert stat(client, "contacts", capable="unknown") == 1
    assert stat(client, "promotable", language="en") == 0


def test_test_data_is_searched_only_in_test_mode(client, people):
    assert shown(client, q="Marie") == ["+33612345678"]
    assert shown(client, q="Marie", mode="test") == ["+33612345679"]


def test_a_live_list_is_no_filter_of_test_data(client, people):
    vip = ContactList.objects.create(name="VIP")
    page = client.get("/audience/", {"mode": "test"}).content.decode()
    assert str(vip.public_id) not in page


def test_an_unknown_filter_value_is_ignored_not_a_500(client, people):
    response = client.get("/audience/", {"capable": "perhaps", "list": "nope", "page": "x"})
    assert response.status_code == 200


def test_contacts_are_paginated(client):
    signed_in(client)
    for _ in range(30):
        make_contact()
    first = client.get("/audience/").content.decode()
    second = client.get("/audience/", {"page": 2}).content.decode()
    assert first.count("<tr data-contact") == 25 and second.count("<tr data-contact") == 5
    assert "Page 1 of 2" in first
