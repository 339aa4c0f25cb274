"""The "received" segment condition sending registers with audience's rule registry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audience.segments import RulesError, condition_kind, validate_rules
from sending.models import Message
from tests.factories import make_contact, make_published_template, make_segment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def received(days):
    return {"match": "all", "conditions": [{"kind": "received", "within_days": days}]}


def send(contact, version, **times):
    return Message.objects.create(
        contact=contact,
        template_version=version,
        traffic_type="promotion",
        intended_channel="rcs",
        rcs_ttl_seconds=3600,
        test_mode=contact.test_mode,
        **times,
    )


def test_received_matches_contacts_with_a_message_delivered_or_read_in_the_last_n_days():
    _template, version = make_published_template()
    now = timezone.now()
    recent = make_contact(phone="+33600000001")
    send(recent, version, delivered_at=now - timedelta(days=3))
    read_only = make_contact(phone="+33600000002")
    send(read_only, version, read_at=now - timedelta(days=1))
    old = make_contact(phone="+33600000003")
    send(old, version, delivered_at=now - timedelta(days=20))
    undelivered = make_contact(phone="+33600000004")
    send(undelivered, version)
    draft = make_contact(phone="+33600000005")
    send(draft, version, delivered_at=now, draft_test=True)
    make_contact(phone="+33600000006")

    week = make_segment(rules=received(7))
    month = make_segment(rules=received(30))

    assert set(week.contacts().values_list("phone", flat=True)) == {"+33600000001", "+33600000002"}
    assert set(month.contacts().values_list("phone", flat=True)) == {
        "+33600000001",
        "+33600000002",
        "+33600000003",
    }


def test_received_is_offered_by_the_registry_and_checked_by_its_params():
    assert str(condition_kind("received").label) == "Received a message"
    with pytest.raises(RulesError) as refused:
        validate_rules(received(0))
    assert refused.value.by_path == {"conditions[0].within_days": ["give 1 or more"]}
