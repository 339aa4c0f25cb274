"""Which message a conversion is credited to: the last click within the click window, else the
last delivery within the delivery window, else none (the order is kept all the same)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.conversions import Conversion
from messaging.links import derive_key
from tests.factories import make_contact, make_published_template, make_sent_message
from tests.support.conversions import click_id_for, make_click, post_conversion

pytestmark = pytest.mark.django_db

ORDER = {"value": "89.90", "currency": "EUR"}


@pytest.fixture
def version(db):
    return make_published_template()[1]


@pytest.fixture
def buyer(db):
    return make_contact(test_mode=True)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def delivered(contact, version, at):
    return make_sent_message(contact, version, sent_at=at, delivered_at=at)


def report(api, now, order_id, **identifier):
    answer = post_conversion(
        api, order_id=order_id, occurred_at=now.isoformat(), **ORDER, **identifier
    )
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_a_click_4_9_days_before_the_order_earns_it_and_one_5_1_days_before_does_not(
    api, buyer, version, now
):
    inside = delivered(buyer, version, now - timedelta(days=6))
    make_click(inside, now - timedelta(days=4.9))
    other = make_contact(test_mode=True)
    outside = delivered(other, version, now - timedelta(days=6))
    make_click(outside, now - timedelta(days=5.1))

    credited = report(api, now, "A-1", phone=buyer.phone)
    missed = report(api, now, "A-2", phone=other.phone)

    assert (credited["attributed_by"], credited["message_id"]) == ("click", str(inside.public_id))
    assert (missed["matched_by"], missed["attributed_by"], missed["message_id"]) == (
        "phone",
        None,
        None,
    )


def test_a_delivery_23_hours_before_the_order_earns_it_and_one_25_hours_before_does_not(
    api, buyer, version, now
):
    recent = delivered(buyer, version, now - timedelta(hours=23))
    other = make_contact(test_mode=True)
    delivered(other, version, now - timedelta(hours=25))

    credited = report(api, now, "B-1", phone=buyer.phone)
    missed = report(api, now, "B-2", phone=other.phone)

    assert (credited["attributed_by"], credited["message_id"]) == (
        "delivery",
        str(recent.public_id),
    )
    assert credited["clicked_at"] is None
    assert missed["attributed_by"] is None


def test_the_later_click_wins_over_an_earlier_one_and_over_a_later_delivery(
    api, buyer, version, now
):
    first = delivered(buyer, version, now - timedelta(days=4))
    make_click(first, now - timedelta(days=3))
    second = delivered(buyer, version, now - timedelta(days=2))
    make_click(second, now - timedelta(days=1), cta_index=2)
    # Delivered after both clicks, never clicked: a click outranks a mere delivery.
    delivered(buyer, version, now - timedelta(hours=2))

    credited = report(api, now, "C-1", phone=buyer.phone)

    assert (credited["attributed_by"], credited["message_id"]) == ("click", str(second.public_id))
    row = Conversion.objects.get(order_id="C-1")
    assert (row.cta_index, row.click.message_id, row.dispatch_id) == (2, second.pk, None)


def test_a_click_after_the_order_earns_nothing(api, buyer, version, now):
    message = delivered(buyer, version, now - timedelta(days=3))
    make_click(message, now + timedelta(minutes=5))

    credited = report(api, now, "D-1", phone=buyer.phone)

    assert credited["attributed_by"] is None


def test_bots_and_draft_tests_earn_nothing(api, buyer, version, now):
    crawled = delivered(buyer, version, now - timedelta(days=3))
    make_click(crawled, now - timedelta(days=2), kind="bot")
    make_click(crawled, now - timedelta(days=2), kind="suspected_bot")
    draft = make_sent_message(
        buyer, version, delivered_at=now - timedelta(hours=1), draft_test=True
    )
    make_click(draft, now - timedelta(minutes=30))

    credited = report(api, now, "E-1", phone=buyer.phone)

    assert credited["attributed_by"] is None


def test_a_click_id_earns_the_order_before_the_drainer_writes_its_click(api, buyer, version, now):
    message = delivered(buyer, version, now - timedelta(days=2))
    at = now - timedelta(days=1)

    credited = report(api, now, "F-1", click_id=click_id_for(message, at, cta_index=1))

    assert (credited["matched_by"], credited["attributed_by"]) == ("click_id", "click")
    assert credited["message_id"] == str(message.public_id)
    row = Conversion.objects.get(order_id="F-1")
    assert (row.click, row.clicked_at, row.cta_index, row.contact) == (None, at, 1, buyer)


def test_a_click_id_older_than_the_window_still_names_the_buyer_for_a_recent_delivery(
    api, buyer, version, now
):
    old = delivered(buyer, version, now - timedelta(days=9))
    recent = delivered(buyer, version, now - timedelta(hours=3))

    credited = report(api, now, "G-1", click_id=click_id_for(old, now - timedelta(days=8)))

    assert (credited["matched_by"], credited["attributed_by"]) == ("click_id", "delivery")
    assert credited["message_id"] == str(recent.public_id)


def test_a_message_id_names_the_buyer(api, buyer, version, now):
    message = delivered(buyer, version, now - timedelta(hours=5))

    credited = report(api, now, "H-1", message_id=str(message.public_id))

    assert (credited["matched_by"], credited["attributed_by"]) == ("message_id", "delivery")
    assert credited["message_id"] == str(message.public_id)


def test_an_order_that_matches_nobody_is_kept_unattributed(api, now):
    forged = "2LKcbXq7Hz0pT4mWv9"
    unknown_message = "7c9e6679-7425-40de-944b-e07fc1f90ae7"

    answers = [
        report(api, now, "I-1", click_id=forged),
        report(api, now, "I-2", message_id=unknown_message),
        report(api, now, "I-3", phone="+33699999999"),
    ]

    assert [(a["matched_by"], a["attributed_by"], a["message_id"]) for a in answers] == [
        (None, None, None)
    ] * 3
    assert Conversion.objects.filter(test_mode=True, contact=None).count() == 3


def test_when_several_identifiers_are_given_the_first_that_names_someone_is_used(
    api, buyer, version, now
):
    message = delivered(buyer, version, now - timedelta(hours=2))

    credited = report(api, now, "J-1", click_id="2LKcbXq7Hz0pT4mWv9", phone=buyer.phone)

    assert (credited["matched_by"], credited["message_id"]) == ("phone", str(message.public_id))


def test_the_windows_follow_the_settings(api, buyer, version, now, settings):
    settings.CONVERSION_CLICK_WINDOW_DAYS = 10
    settings.CONVERSION_DELIVERY_WINDOW_HOURS = 0
    clicked = delivered(buyer, version, now - timedelta(days=9))
    make_click(clicked, now - timedelta(days=8))
    other = make_contact(test_mode=True)
    delivered(other, version, now - timedelta(hours=1))

    credited = report(api, now, "K-1", phone=buyer.phone)
    missed = report(api, now, "K-2", phone=other.phone)

    assert (credited["attributed_by"], credited["message_id"]) == ("click", str(clicked.public_id))
    assert missed["attributed_by"] is None


def test_a_click_id_signed_before_a_key_rotation_still_counts_and_a_foreign_one_does_not(
    api, buyer, version, now, settings
):
    message = delivered(buyer, version, now - timedelta(days=3))
    at = now - timedelta(days=1)
    before_rotation = click_id_for(message, at, key=derive_key(settings.SECRET_KEY))
    foreign = click_id_for(message, at, key=derive_key("another installation's secret key"))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40

    credited = report(api, now, "L-1", click_id=before_rotation)
    missed = report(api, now, "L-2", click_id=foreign)

    assert (credited["matched_by"], credited["message_id"]) == ("click_id", str(message.public_id))
    assert (missed["matched_by"], missed["attributed_by"]) == (None, None)
