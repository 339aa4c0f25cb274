"""A phone number can be a test contact and a live contact, each with its own ledger."""

import pytest
from django.db import IntegrityError

from audience import services
from audience.models import ConsentEntry, Contact
from tests.factories import make_contact

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"


def test_same_number_is_one_test_contact_and_one_live_contact():
    live = services.get_or_create_contact(PHONE)
    test = services.get_or_create_contact(PHONE, test_mode=True)

    assert live.pk != test.pk
    assert (live.test_mode, test.test_mode) == (False, True)
    assert services.get_or_create_contact(PHONE, test_mode=False) == live
    assert services.get_or_create_contact(PHONE, test_mode=True) == test


def test_a_number_is_one_contact_per_mode():
    make_contact(phone=PHONE, test_mode=True)
    with pytest.raises(IntegrityError):
        make_contact(phone=PHONE, test_mode=True)


def test_a_test_opt_out_leaves_the_live_contact_promotable():
    live = make_contact(phone=PHONE, opted_in=True)
    make_contact(phone=PHONE, opted_in=True, test_mode=True)

    test, changed = services.opt_out(PHONE, source="inbound_stop", wording="STOP", test_mode=True)

    assert changed and test.test_mode and test.is_opted_out()
    assert live.allows_promotions()


def test_a_live_opt_out_leaves_the_test_contact_alone():
    test = make_contact(phone=PHONE, opted_in=True, test_mode=True)

    live, _changed = services.opt_out(PHONE, source="inbound_stop", wording="STOP")

    assert not live.test_mode and live.is_opted_out()
    assert test.allows_promotions()


def test_consent_is_never_written_across_modes():
    live = make_contact(phone=PHONE)
    with pytest.raises(ValueError):
        services.record_consent(live, ConsentEntry.Kind.OPT_IN, source="admin", test_mode=True)
    assert not ConsentEntry.objects.exists()

    # Without test_mode the entry follows its contact, as before.
    entry = services.record_consent(live, ConsentEntry.Kind.OPT_IN, source="admin")
    assert entry.contact == live


def test_querysets_keep_the_two_modes_apart():
    live = make_contact(phone=PHONE, opted_in=True)
    test = make_contact(phone=PHONE, opted_in=True, test_mode=True)

    assert list(Contact.objects.live()) == [live]
    assert list(Contact.objects.test()) == [test]
    assert list(Contact.objects.in_mode(True)) == [test]
    assert [entry.contact for entry in ConsentEntry.objects.live()] == [live]
    assert [entry.contact for entry in ConsentEntry.objects.test()] == [test]
    assert list(Contact.objects.live().promotable()) == [live]
