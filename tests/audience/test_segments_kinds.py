"""Each condition kind against a set of contacts computed by hand, in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audience.models import ConsentEntry, Segment
from audience.segments import compile_rules
from tests.factories import make_consent, make_contact, make_list

pytestmark = pytest.mark.django_db


def matching(rules, test_mode=False):
    from audience.models import Contact

    contacts = Contact.objects.in_mode(test_mode).filter(compile_rules(rules, test_mode))
    return set(contacts.values_list("phone", flat=True))


def rules(*conditions, match="all"):
    return {"match": match, "conditions": list(conditions)}


def test_list_kind_matches_the_members_of_that_list_only():
    summer, winter = make_list(name="Été"), make_list(name="Hiver")
    ann = make_contact(phone="+33600000001")
    bob = make_contact(phone="+33600000002")
    make_contact(phone="+33600000003")
    summer.contacts.add(ann, through_defaults={"source": "api"})
    winter.contacts.add(ann, bob, through_defaults={"source": "api"})

    assert matching(rules({"kind": "list", "list_id": summer.pk})) == {"+33600000001"}
    assert matching(rules({"kind": "list", "list_id": winter.pk})) == {
        "+33600000001",
        "+33600000002",
    }


def test_rcs_capable_kind_counts_answers_older_than_31_days_as_unknown():
    now = timezone.now()
    make_contact(phone="+33600000001", rcs_capable=True, rcs_checked_at=now - timedelta(days=2))
    make_contact(phone="+33600000002", rcs_capable=False, rcs_checked_at=now - timedelta(days=2))
    make_contact(phone="+33600000003", rcs_capable=True, rcs_checked_at=now - timedelta(days=40))
    make_contact(phone="+33600000004")

    assert matching(rules({"kind": "rcs_capable", "value": "yes"})) == {"+33600000001"}
    assert matching(rules({"kind": "rcs_capable", "value": "no"})) == {"+33600000002"}
    assert matching(rules({"kind": "rcs_capable", "value": "unknown"})) == {
        "+33600000003",
        "+33600000004",
    }


def test_consent_kind_reads_the_current_consent_of_one_channel():
    sms_only = make_contact(phone="+33600000001")
    make_consent(sms_only, channel=ConsentEntry.Scope.SMS)
    both_out = make_contact(phone="+33600000002")
    make_consent(both_out, kind=ConsentEntry.Kind.OPT_OUT)
    make_contact(phone="+33600000003")

    def consent(channel, value):
        return matching(rules({"kind": "consent", "channel": channel, "value": value}))

    assert consent("sms", "opt_in") == {"+33600000001"}
    assert consent("rcs", "opt_in") == set()
    assert consent("rcs", "opt_out") == {"+33600000002"}
    assert consent("rcs", "none") == {"+33600000001", "+33600000003"}


def test_segment_contacts_stay_in_its_mode():
    make_contact(phone="+33600000001", rcs_capable=True, rcs_checked_at=timezone.now())
    make_contact(
        phone="+33600000001", test_mode=True, rcs_capable=True, rcs_checked_at=timezone.now()
    )
    make_contact(phone="+33600000002", test_mode=True)
    segment = Segment.objects.create(
        name="RCS", test_mode=True, rules=rules({"kind": "rcs_capable", "value": "yes"})
    )

    assert [c.test_mode for c in segment.contacts()] == [True]
