"""Contacts, phone numbers and the consent ledger, including STOP and START replies."""

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audience.keywords import (  # noqa: F401 (the keyword API, read through services)
    UNSUBSCRIBE_POSTBACKS,
    Keyword,
    is_unsubscribe,
    normalize_keyword,
    recognise,
)
from audience.models import ConsentEntry, Contact, ContactList, ListMembership
from messaging.providers.normalized import Channel


class InvalidNumber(ValueError):
    """The text is not a phone number we can send to."""


def normalize_phone(raw, region=None):
    """Return the E.164 form of a phone number (national numbers read in region, default FR)."""
    region = region or getattr(settings, "PHONENUMBER_DEFAULT_REGION", "FR")
    try:
        parsed = phonenumbers.parse(str(raw or "").strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(str(raw)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(str(raw))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def get_or_create_contact(phone, *, test_mode=False):
    """Return the contact for an E.164 number in one mode (test or live), creating it on first
    use (safe under races)."""
    contacts = Contact.objects.in_mode(test_mode)
    contact = contacts.filter(phone=phone).first()
    if contact is not None:
        return contact
    try:
        with transaction.atomic():
            return Contact.objects.create(phone=phone, test_mode=bool(test_mode))
    except IntegrityError:
        return contacts.get(phone=phone)


def get_or_create_contacts(phones, *, test_mode=False):
    """{phone: contact} for E.164 numbers in one mode, creating the missing ones at once
    (safe under races: a contact created meanwhile by another request is found, not doubled)."""
    phones = set(phones)
    contacts = Contact.objects.in_mode(test_mode)
    found = {contact.phone: contact for contact in contacts.filter(phone__in=phones)}
    missing = phones - found.keys()
    if missing:
        Contact.objects.bulk_create(
            [Contact(phone=phone, test_mode=bool(test_mode)) for phone in missing],
            ignore_conflicts=True,
        )
        found.update({c.phone: c for c in contacts.filter(phone__in=missing)})
    return found


def record_consent(
    contact,
    kind,
    *,
    source,
    channel=ConsentEntry.Scope.ALL,
    wording="",
    occurred_at=None,
    test_mode=None,
    ip=None,
    operator="",
):
    """Add an opt-in or opt-out to the contact's ledger and return the entry; the contact's
    current-consent columns change in the same transaction (see ConsentEntry.save).

    The entry belongs to the contact's mode; test_mode, when given, must be that mode (a caller
    holding the wrong contact gets a ValueError rather than writing across modes). ip is where
    the consent was collected from, operator who recorded it (a user, an API key's name).
    """
    if test_mode is not None and bool(test_mode) != contact.test_mode:
        raise ValueError(
            f"Contact {contact.pk} is {'test' if contact.test_mode else 'live'} data, "
            f"not {'test' if test_mode else 'live'}."
        )
    return ConsentEntry.objects.create(
        contact=contact,
        kind=kind,
        channel=channel,
        source=source,
        wording=wording or "",
        occurred_at=occurred_at or timezone.now(),
        ip=ip or None,
        operator=operator or "",
    )


def opt_out(phone, *, source, wording, occurred_at=None, test_mode=False):
    """Write an opt-out for every channel to the contact of one mode; returns (contact, changed)
    where changed is False when the contact had already opted out (so a second STOP gets no
    second acknowledgement)."""
    contact = get_or_create_contact(phone, test_mode=test_mode)
    with transaction.atomic():
        # The row lock serializes two STOPs of the same person arriving together.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        already = all(contact.is_opted_out(channel) for channel in Channel)
        record_consent(
            contact,
            ConsentEntry.Kind.OPT_OUT,
            source=source,
            wording=wording,
            occurred_at=occurred_at,
        )
    return contact, not already


# Opt-outs the person gave by writing to us: what START may undo. An opt-out given elsewhere
# (admin, import, API, web form) stands until an opt-in is collected the same way.
KEYWORD_OPT_OUT_SOURCES = (ConsentEntry.Source.INBOUND_STOP, ConsentEntry.Source.RCS_BUTTON)


def _opt_in_behind_keyword_opt_outs(contact, channel):
    """True when channel's latest entries are keyword opt-outs hiding an opt-in."""
    entries = contact.consent_entries.covering(channel).order_by("-occurred_at", "-pk")
    latest = entries.first()
    if latest is None or latest.kind != ConsentEntry.Kind.OPT_OUT:
        return False
    if latest.source not in KEYWORD_OPT_OUT_SOURCES:
        return False
    before = entries.exclude(
        kind=ConsentEntry.Kind.OPT_OUT, source__in=KEYWORD_OPT_OUT_SOURCES
    ).first()
    return before is not None and before.kind == ConsentEntry.Kind.OPT_IN


def opt_back_in(phone, *, source, wording, occurred_at=None, test_mode=False):
    """Undo keyword opt-outs (START after STOP): write an opt-in for each channel where only
    STOPs hide an earlier opt-in; returns (contact, changed), changed False when nothing was
    restored (no opt-in to go back to, or an opt-out given elsewhere stands)."""
    contact = get_or_create_contact(phone, test_mode=test_mode)
    with transaction.atomic():
        # The row lock serializes a START with a STOP of the same person arriving together.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        restored = [
            channel for channel in Channel if _opt_in_behind_keyword_opt_outs(contact, channel)
        ]
        if restored:
            all_channels = len(restored) == len(Channel)
            scope = ConsentEntry.Scope.ALL if all_channels else ConsentEntry.Scope(restored[0])
            record_consent(
                contact,
                ConsentEntry.Kind.OPT_IN,
                source=source,
                channel=scope,
                wording=wording,
                occurred_at=occurred_at,
            )
    return contact, bool(restored)


# The fields of a contact a caller may set (the API, later the import), besides its phone.
CONTACT_FIELDS = ("first_name", "last_name", "email", "language")


def upsert_contact(phone, *, test_mode, fields=None, attributes=None):
    """Create or update the contact of an E.164 number in one mode; returns (contact, created).

    fields sets the CONTACT_FIELDS given (None leaves one unchanged); attributes are merged into
    the contact's, a None value removing that attribute.
    """
    created = not Contact.objects.in_mode(test_mode).filter(phone=phone).exists()
    contact = get_or_create_contact(phone, test_mode=test_mode)
    with transaction.atomic():
        # The row lock keeps two updates of one contact from losing each other's attributes.
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        for name, value in (fields or {}).items():
            if name in CONTACT_FIELDS and value is not None:
                setattr(contact, name, value)
        for name, value in (attributes or {}).items():
            if value is None:
                contact.attributes.pop(name, None)
            else:
                contact.attributes[name] = value
        contact.full_clean(exclude=["lists"], validate_unique=False)
        contact.save()
    return contact, created


def get_or_create_list(name, *, test_mode):
    """The list of one mode with this name, created on first use; returns (list, created)."""
    lists = ContactList.objects.filter(test_mode=bool(test_mode))
    found = lists.filter(name=name).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return ContactList.objects.create(name=name, test_mode=bool(test_mode)), True
    except IntegrityError:
        return lists.get(name=name), False


def add_to_list(contact_list, contacts, *, source):
    """Put contacts (of the list's mode) on the list; returns how many were not on it yet."""
    mode = contact_list.test_mode
    contact_ids = {contact.pk for contact in contacts if contact.test_mode == mode}
    already = set(
        contact_list.memberships.filter(contact_id__in=contact_ids).values_list(
            "contact_id", flat=True
        )
    )
    new = [
        ListMembership(contact_list=contact_list, contact_id=pk, source=source)
        for pk in sorted(contact_ids - already)
    ]
    # A membership added at the same moment by another request is not an error.
    ListMembership.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def remove_from_list(contact_list, contacts):
    """Take contacts (a queryset) off the list; returns how many were on it."""
    removed, _ = contact_list.memberships.filter(contact__in=contacts).delete()
    return removed
