"""One click on a finished audit makes "<audience> — RCS" and "<audience> — not RCS": together
they hold the audience, each contact once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audience.audit import run_audit, start_audit
from audience.audit_segments import create_audit_segments
from audience.models import Contact, Segment
from tests.factories import make_contact, make_list, make_segment
from tests.support.providers import SIMULATOR_SETTINGS
from tests.support.sending import ALWAYS_RCS, NEVER_RCS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def simulator(settings, english):
    for name, value in SIMULATOR_SETTINGS.items():
        setattr(settings, name, value)


def audited_list(name="Clients fidèles"):
    contact_list = make_list(name=name, test_mode=True)
    for phone in (ALWAYS_RCS, NEVER_RCS, "+33612000001", "+33612000002", "+33612000003"):
        contact = make_contact(phone=phone, test_mode=True)
        contact_list.contacts.add(contact, through_defaults={"source": "api"})
    return contact_list


def phones_of(segment):
    return set(segment.contacts().values_list("phone", flat=True))


def finished_audit(**audience):
    return run_audit(start_audit(**audience).pk)


def test_the_two_segments_split_the_audited_list_as_the_audit_counted():
    contact_list = audited_list()
    make_contact(phone="+33612000009", test_mode=True)  # Not on the list.
    # Capable (a reserved number), but its answer grows older than 31 days: unknown, not RCS.
    aging = make_contact(phone="+33699000007", test_mode=True)
    contact_list.contacts.add(aging, through_defaults={"source": "api"})
    audit = finished_audit(contact_list=contact_list)
    Contact.objects.filter(pk=aging.pk).update(rcs_checked_at=timezone.now() - timedelta(days=32))

    rcs, not_rcs = create_audit_segments(audit)

    assert (rcs.name, not_rcs.name) == ("Clients fidèles — RCS", "Clients fidèles — not RCS")
    assert rcs.test_mode and not_rcs.test_mode
    members = set(contact_list.contacts.values_list("phone", flat=True))
    assert phones_of(rcs) | phones_of(not_rcs) == members
    assert not phones_of(rcs) & phones_of(not_rcs)
    assert ALWAYS_RCS in phones_of(rcs) and NEVER_RCS in phones_of(not_rcs)
    assert "+33699000007" in phones_of(not_rcs)
    assert len(phones_of(rcs)) == audit.rcs_yes - 1


def test_a_second_click_makes_no_second_pair():
    audit = finished_audit(contact_list=audited_list())

    first = create_audit_segments(audit)
    again = create_audit_segments(audit)

    assert first == again
    assert Segment.objects.count() == 2


def test_a_name_taken_by_another_segment_gets_a_number():
    contact_list = audited_list(name="VIP")
    make_segment(name="VIP — RCS", test_mode=True)

    rcs, not_rcs = create_audit_segments(finished_audit(contact_list=contact_list))

    assert (rcs.name, not_rcs.name) == ("VIP — RCS (2)", "VIP — not RCS")


def test_a_second_audit_of_the_same_list_finds_the_same_segments():
    contact_list = audited_list()
    first = create_audit_segments(finished_audit(contact_list=contact_list))

    second = create_audit_segments(finished_audit(contact_list=contact_list))

    assert first == second


def test_an_audited_segment_is_the_rule_of_its_two_segments():
    contact_list = audited_list()
    source = make_segment(
        name="Parisiens",
        rules={"match": "all", "conditions": [{"kind": "list", "list_id": contact_list.pk}]},
        test_mode=True,
    )

    rcs, not_rcs = create_audit_segments(finished_audit(segment=source))

    assert rcs.name == "Parisiens — RCS"
    assert {"kind": "segment", "segment_id": source.pk} in rcs.rules["conditions"]
    assert phones_of(rcs) | phones_of(not_rcs) == phones_of(source)
    assert ALWAYS_RCS in phones_of(rcs)


def test_an_unfinished_audit_makes_no_segment():
    audit = start_audit(contact_list=audited_list())

    with pytest.raises(ValueError):
        create_audit_segments(audit)
    assert not Segment.objects.exists()
