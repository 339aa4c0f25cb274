"""Contact lists for the campaign tests, filled one contact at a time or in bulk, and a
statistical check for random draws (holdouts, shares)."""

import math

from django.utils import timezone

from audience.models import Consent, Contact, ListMembership
from tests.factories import make_contact


def fill_list(contact_list, count, *, opted_in=True, **fields):
    """Add `count` new contacts of the list's mode to it; returns their ids."""
    ids = []
    for _ in range(count):
        contact = make_contact(opted_in=opted_in, test_mode=contact_list.test_mode, **fields)
        contact.lists.add(contact_list)
        ids.append(contact.pk)
    return ids


_phones = iter(range(10_000_000, 99_999_999))


def bulk_list(contact_list, count, **fields):
    """`count` contacts opted in to SMS and RCS, added to the list in bulk; returns their ids."""
    now = timezone.now()
    values = {
        "test_mode": contact_list.test_mode,
        "sms_consent": Consent.OPT_IN,
        "sms_consent_at": now,
        "rcs_consent": Consent.OPT_IN,
        "rcs_consent_at": now,
        **fields,
    }
    contacts = Contact.objects.bulk_create(
        [Contact(phone=f"+336{next(_phones)}", **values) for _ in range(count)]
    )
    ListMembership.objects.bulk_create(
        [ListMembership(contact=c, contact_list=contact_list) for c in contacts]
    )
    return [c.pk for c in contacts]


def within(observed, n, p, sigmas=4):
    """True when `observed` successes of n draws fit a Binomial(n, p) within `sigmas` standard
    deviations (a normal bound, fine for n·p(1−p) ≥ 10)."""
    return abs(observed - n * p) <= sigmas * math.sqrt(n * p * (1 - p))
