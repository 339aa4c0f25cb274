"""The "clicked" and "converted" segment conditions analytics registers with audience's rule
registry: the contacts they match, checked against sets worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.conversions import Conversion
from audience.segment_builder import kind_choices
from audience.segments import RulesError, condition_kind, validate_rules
from tests.factories import make_contact, make_published_template, make_segment, make_sent_message
from tests.support.conversions import make_click

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def rules(kind, days, match="all"):
    return {"match": match, "conditions": [{"kind": kind, "within_days": days}]}


def phones(segment):
    return set(segment.contacts().values_list("phone", flat=True))


def converted(contact, at, order_id, **fields):
    return Conversion.objects.create(
        order_id=order_id,
        value=Decimal("10"),
        currency="EUR",
        occurred_at=at,
        test_mode=contact.test_mode if contact else False,
        contact=contact,
        **fields,
    )


@pytest.fixture
def now():
    return timezone.now()


def test_clicked_matches_people_who_tapped_in_the_last_n_days(now):
    version = make_published_template()[1]
    recent = make_contact(phone="+33600000001")
    make_click(make_sent_message(recent, version), now - timedelta(days=2))
    older = make_contact(phone="+33600000002")
    make_click(make_sent_message(older, version), now - timedelta(days=20))
    bot_only = make_contact(phone="+33600000003")
    bot_message = make_sent_message(bot_only, version)
    make_click(bot_message, now - timedelta(days=1), kind="bot")
    make_click(bot_message, now - timedelta(days=1), kind="suspected_bot")
    draft_only = make_contact(phone="+33600000004")
    make_click(make_sent_message(draft_only, version, draft_test=True), now - timedelta(days=1))
    delivered_only = make_contact(phone="+33600000005")
    make_sent_message(delivered_only, version, delivered_at=now)
    postback = make_contact(phone="+33600000006")
    make_click(make_sent_message(postback, version), now - timedelta(days=6), source="postback")

    assert phones(make_segment(rules=rules("clicked", 7))) == {"+33600000001", "+33600000006"}
    assert phones(make_segment(rules=rules("clicked", 30))) == {
        "+33600000001",
        "+33600000002",
        "+33600000006",
    }


def test_converted_matches_buyers_of_the_last_n_days_credited_or_not(now):
    version = make_published_template()[1]
    credited = make_contact(phone="+33600000011")
    message = make_sent_message(credited, version)
    converted(credited, now - timedelta(days=1), "O-1", message=message, attributed_by="delivery")
    by_phone_only = make_contact(phone="+33600000012")
    converted(by_phone_only, now - timedelta(days=5), "O-2", matched_by="phone")
    long_ago = make_contact(phone="+33600000013")
    converted(long_ago, now - timedelta(days=40), "O-3")
    make_contact(phone="+33600000014")
    converted(None, now, "O-4")

    assert phones(make_segment(rules=rules("converted", 3))) == {"+33600000011"}
    assert phones(make_segment(rules=rules("converted", 30))) == {"+33600000011", "+33600000012"}
    assert len(phones(make_segment(rules=rules("converted", 60)))) == 3


def test_clicked_and_converted_combine_in_any_and_all_groups(now):
    version = make_published_template()[1]
    clicked_and_bought = make_contact(phone="+33600000021")
    make_click(make_sent_message(clicked_and_bought, version), now - timedelta(days=1))
    converted(clicked_and_bought, now, "P-1")
    clicked_only = make_contact(phone="+33600000022")
    make_click(make_sent_message(clicked_only, version), now - timedelta(days=1))
    bought_only = make_contact(phone="+33600000023")
    converted(bought_only, now, "P-2")

    both = [{"kind": "clicked", "within_days": 7}, {"kind": "converted", "within_days": 7}]
    either = make_segment(rules={"match": "any", "conditions": both})
    clicked_and_converted = make_segment(rules={"match": "all", "conditions": both})

    assert phones(either) == {"+33600000021", "+33600000022", "+33600000023"}
    assert phones(clicked_and_converted) == {"+33600000021"}


def test_test_data_stays_in_test_segments(now):
    version = make_published_template()[1]
    live = make_contact(phone="+33600000031")
    make_click(make_sent_message(live, version), now)
    converted(live, now, "Q-1")
    test = make_contact(phone="+33600000031", test_mode=True)
    make_click(make_sent_message(test, version), now)
    converted(test, now, "Q-1")

    for kind in ("clicked", "converted"):
        live_segment = make_segment(rules=rules(kind, 7))
        test_segment = make_segment(rules=rules(kind, 7), test_mode=True)
        assert list(live_segment.contacts()) == [live]
        assert list(test_segment.contacts()) == [test]


def test_the_kinds_are_offered_by_the_builder_and_checked_by_their_params():
    offered = dict(kind_choices())
    assert offered["clicked"] == "Clicked a link or button"
    assert offered["converted"] == "Placed an order"
    assert str(condition_kind("clicked").params[0].label) == "in the last N days"
    with pytest.raises(RulesError) as refused:
        validate_rules(rules("converted", 0))
    assert refused.value.by_path == {"conditions[0].within_days": ["give 1 or more"]}
